import { startApache } from '../../../tools/dav-servers';
import { defineDavSuite } from './suite';

// Default config: Depth infinity refused (403), so the walk must get by with Depth 1.
defineDavSuite('Apache mod_dav', () => startApache());
