import { startWebdavServer } from '../../helpers/dav-servers';
import { defineDavSuite } from './suite';

defineDavSuite('npm webdav-server', startWebdavServer);
