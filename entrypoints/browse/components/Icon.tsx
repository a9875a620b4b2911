/** Folder and file glyphs as inline SVG: emoji fonts are not everywhere (headless Linux shows boxes). */
export function EntryIcon(props: { folder: boolean }) {
  return (
    <svg
      class={`icon ${props.folder ? 'folder' : 'file'}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
    >
      {props.folder ? (
        <path d="M1.5 3.5a1 1 0 0 1 1-1h3.6l1.5 1.5h5.9a1 1 0 0 1 1 1v7.5a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />
      ) : (
        <path d="M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3" fill="none" stroke-width="1.2" stroke-linejoin="round" />
      )}
    </svg>
  );
}
