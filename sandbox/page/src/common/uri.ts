/** Root of the user's own files (docs/cloudreve-api.md#cloudreve-uris). */
export const MY_ROOT = 'cloudreve://my';

/** Child URI: parent + "/" + encodeURIComponent(name) (FE CrUri.join). */
export function joinUri(parent: string, name: string): string {
  return `${parent.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;
}

/** The URI without its search query. */
export function purePath(uri: string): string {
  const q = uri.indexOf('?');
  return (q < 0 ? uri : uri.slice(0, q)).replace(/\/+$/, '');
}

/** Decoded path segments after `cloudreve://<fs>`. */
export function segments(uri: string): string[] {
  const rest = purePath(uri).replace(/^cloudreve:\/\/[^/]*/, '');
  return rest.split('/').filter(Boolean).map(decodeURIComponent);
}

/** Page URL of a folder: /home?path=<URI> built with URLSearchParams (FE navigateToPath). */
export function homeUrl(uri: string): string {
  return `/home?${new URLSearchParams({ path: uri }).toString()}`;
}

/** Current folder from `?path=`; absent → cloudreve://my (FE useNavigation). */
export function pathFromLocation(): string {
  return new URLSearchParams(location.search).get('path') ?? MY_ROOT;
}

/** Whether `uri` reads a share link (`cloudreve://<id>[:<password>]@share/...`, docs/cloudreve-api.md#share-links). */
export function isShareUri(uri: string): boolean {
  return /^cloudreve:\/\/[^/@?]*@share(\/|\?|$)/i.test(uri);
}

/** The root of `uri`'s filesystem: `cloudreve://my`, or a share's `cloudreve://<id>[:<password>]@share`. */
export function rootOf(uri: string): string {
  return /^cloudreve:\/\/[^/?]*/.exec(purePath(uri))?.[0] ?? MY_ROOT;
}
