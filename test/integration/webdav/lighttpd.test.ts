import { startLighttpd } from '../../../tools/dav-servers';
import { defineDavSuite } from './suite';

// Default config: PROPFIND lists a name with a control character, GET and PROPFIND of it answer 400.
defineDavSuite('lighttpd mod_webdav', () => startLighttpd());
