import { startWebdavServer } from '../../../tools/dav-servers';
import { defineDavSuite } from './suite';

defineDavSuite('npm webdav-server', startWebdavServer);
