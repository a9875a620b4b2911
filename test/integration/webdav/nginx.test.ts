import { startNginx } from '../../../tools/dav-servers';
import { defineDavSuite } from './suite';

defineDavSuite('nginx dav_ext', startNginx);
