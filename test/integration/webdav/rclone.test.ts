import { startRclone } from '../../../tools/dav-servers';
import { defineDavSuite } from './suite';

defineDavSuite('rclone serve webdav', startRclone);
