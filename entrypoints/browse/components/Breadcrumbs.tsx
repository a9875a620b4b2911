/** Where we are: the account's root, then each folder; every crumb but the last opens its folder. */
import { t } from '@/lib/i18n';
import { showHidden } from '@/lib/visible-text';

export function Breadcrumbs(props: { path: string; rootLabel: string; onOpen(path: string): void }) {
  const segments = props.path === '' ? [] : props.path.split('/');
  const crumbs = [
    { label: props.rootLabel, path: '' },
    ...segments.map((name, i) => ({ label: showHidden(name), path: segments.slice(0, i + 1).join('/') })),
  ];
  return (
    <nav aria-label={t('browseBreadcrumbs', 'Folder path')} class="crumbs" data-testid="breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => (
          <li key={crumb.path}>
            {i === crumbs.length - 1 ? (
              <span aria-current="page" data-testid="crumb-current">
                {crumb.label}
              </span>
            ) : (
              <button type="button" class="link" data-testid="crumb" onClick={() => props.onOpen(crumb.path)}>
                {crumb.label}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
