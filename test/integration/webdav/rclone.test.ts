import { startRclone } from '../../helpers/dav-servers';
import { defineDavSuite } from './suite';

defineDavSuite('rclone serve webdav', startRclone);
