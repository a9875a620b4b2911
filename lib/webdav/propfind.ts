/**
 * A small, tolerant parser for PROPFIND `multistatus` bodies (RFC 4918 §14.16).
 * The MV3 service worker has no DOMParser (docs/browser-platform.md#what-the-service-worker-lacks), so this tokenizes
 * the
 * XML itself: namespaces are resolved (any prefix, or a default namespace), and an
 * element whose prefix was never declared is still accepted by its local name,
 * because real servers are sloppier than the spec.
 */
import { decodeXmlEntities } from './href';

const DAV_NS = 'DAV:';

interface XmlElement {
  ns: string | undefined;
  local: string;
  children: XmlElement[];
  text: string;
}

/** One `response` of a multistatus, with the props of its 200 propstat. */
export interface DavResponse {
  /** The href exactly as sent, XML entities decoded. */
  href: string;
  /** HTTP status of the response or of its successful propstat (207 bodies carry per-resource codes). */
  status: number;
  isCollection: boolean;
  size?: number;
  /** Milliseconds since the epoch. */
  modified?: number;
  etag?: string;
  displayName?: string;
  /** ownCloud/Nextcloud `oc:permissions` (e.g. "RGDNVCK"), when present. */
  ocPermissions?: string;
}

/** Parses a multistatus body into its responses; throws on text that is not one. */
export function parseMultistatus(xml: string): DavResponse[] {
  const root = parseXml(xml);
  if (!root || root.local !== 'multistatus') throw new SyntaxError('Not a WebDAV multistatus body');
  return childrenNamed(root, 'response').map(toResponse);
}

function toResponse(response: XmlElement): DavResponse {
  const href = textOf(childNamed(response, 'href'));
  const ownStatus = parseStatus(textOf(childNamed(response, 'status')));
  const result: DavResponse = { href, status: ownStatus ?? 200, isCollection: false };
  // Props come grouped by status (Apache, rclone: 200 for the found ones, 404 for the rest).
  const okPropstats: XmlElement[] = [];
  let failedStatus: number | undefined;
  for (const propstat of childrenNamed(response, 'propstat')) {
    const status = parseStatus(textOf(childNamed(propstat, 'status'))) ?? 200;
    if (status >= 200 && status < 300) okPropstats.push(propstat);
    else failedStatus ??= status;
  }
  if (ownStatus === undefined && okPropstats.length === 0 && failedStatus !== undefined) result.status = failedStatus;
  const props = okPropstats.flatMap((s) => childrenNamed(s, 'prop')).flatMap((p) => p.children);
  for (const prop of props) {
    const value = prop.text.trim();
    if (prop.local === 'permissions' && prop.ns !== DAV_NS) result.ocPermissions = value;
    if (!isDav(prop)) continue;
    if (prop.local === 'resourcetype')
      result.isCollection = prop.children.some((c) => c.local === 'collection' && isDav(c));
    else if (prop.local === 'getcontentlength' && /^\d+$/.test(value)) result.size = Number(value);
    else if (prop.local === 'getlastmodified') {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) result.modified = time;
    } else if (prop.local === 'getetag' && value) result.etag = value;
    else if (prop.local === 'displayname' && value) result.displayName = prop.text;
  }
  // Trust the href's trailing slash when resourcetype was not returned (RFC 4918 §8.3 recommends it for collections).
  if (!props.some((p) => p.local === 'resourcetype') && /\/\s*$/.test(href)) result.isCollection = true;
  return result;
}

function parseStatus(line: string): number | undefined {
  const match = /^\s*HTTP\/[\d.]+\s+(\d{3})/i.exec(line);
  return match ? Number(match[1]) : undefined;
}

function isDav(element: XmlElement): boolean {
  return element.ns === DAV_NS || element.ns === undefined;
}

function childNamed(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local && isDav(c));
}

function childrenNamed(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((c) => c.local === local && isDav(c));
}

function textOf(element: XmlElement | undefined): string {
  return element ? element.text.trim() : '';
}

interface OpenElement extends XmlElement {
  prefixes: Map<string, string>;
  prefix: string;
}

/** Tokenizes XML into a tree of elements with resolved namespaces; returns the root element. */
function parseXml(xml: string): XmlElement | undefined {
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  const appendText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0) break;
    appendText(decodeXmlEntities(xml.slice(pos, lt)));
    if (xml.startsWith('<!--', lt)) {
      pos = endOf(xml, '-->', lt);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = endOf(xml, ']]>', lt);
      appendText(xml.slice(lt + 9, end - 3));
      pos = end;
    } else if (xml.startsWith('<?', lt) || xml.startsWith('<!', lt)) {
      pos = endOf(xml, '>', lt);
    } else {
      const end = tagEnd(xml, lt);
      const tag = xml.slice(lt + 1, end - 1);
      pos = end;
      if (tag.startsWith('/')) {
        const closed = stack.pop();
        if (closed && stack.length === 0) root ??= closed;
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const element = openElement(selfClosing ? tag.slice(0, -1) : tag, stack[stack.length - 1]);
      stack[stack.length - 1]?.children.push(element);
      if (selfClosing) {
        if (stack.length === 0) root ??= element;
      } else stack.push(element);
    }
  }
  return root ?? stack[0];
}

function endOf(xml: string, marker: string, from: number): number {
  const index = xml.indexOf(marker, from);
  return index < 0 ? xml.length : index + marker.length;
}

/** Index just past the `>` closing the tag at `start`, skipping `>` inside quoted attribute values. */
function tagEnd(xml: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return xml.length;
}

function openElement(tag: string, parent: OpenElement | undefined): OpenElement {
  const nameMatch = /^\s*([^\s/>]+)/.exec(tag);
  const qname = nameMatch?.[1] ?? '';
  const prefixes = new Map(parent?.prefixes);
  for (const attr of tag.slice(nameMatch?.[0].length ?? 0).matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const [, name = '', , double, single] = attr;
    if (name === 'xmlns') prefixes.set('', decodeXmlEntities(double ?? single ?? ''));
    else if (name.startsWith('xmlns:')) prefixes.set(name.slice(6), decodeXmlEntities(double ?? single ?? ''));
  }
  const colon = qname.indexOf(':');
  const prefix = colon >= 0 ? qname.slice(0, colon) : '';
  return { ns: prefixes.get(prefix), local: qname.slice(colon + 1), children: [], text: '', prefixes, prefix };
}
