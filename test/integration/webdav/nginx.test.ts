import { startNginx } from '../../helpers/dav-servers';
import { defineDavSuite } from './suite';

defineDavSuite('nginx dav_ext', startNginx);
