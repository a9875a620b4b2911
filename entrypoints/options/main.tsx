import { render } from 'preact';
import { App } from './App';
import '@/components/theme.css';
import './style.css';

render(<App />, document.getElementById('app')!);
