import { Divider, ListItemIcon, ListItemText, Menu, MenuItem } from '@mui/material';
import { useMemo, useState, type ReactNode } from 'react';
import type { FileResponse } from '../api/types';
import {
  AddIcon,
  ChevronRightIcon,
  CopyIcon,
  DeleteIcon,
  DownloadIcon,
  InfoIcon,
  LinkIcon,
  MoveIcon,
  OpenIcon,
  OpenWithIcon,
  OrganizeIcon,
  RefreshIcon,
  RenameIcon,
  ShareIcon,
  TagIcon,
  WrenchIcon,
} from '../common/icons';
import { deleteFiles, download, orderedSelection } from '../store/action-thunks';
import { closeMenu, openFolder, refresh } from '../store/explorer-thunks';
import { FileManagerIndex } from '../store/file-manager-slice';
import { openPrompt, showSnackbar } from '../store/global-state-slice';
import { useAppDispatch, useAppSelector } from '../store/store';
import { MoreActionsMenu } from './MoreActionsMenu';

interface Entry {
  key: string;
  label: string;
  icon: ReactNode;
  run?: () => void;
  divider?: boolean;
}

function Item({ entry, onDone }: { entry: Entry; onDone: () => void }) {
  return (
    <MenuItem
      dense
      onClick={() => {
        onDone();
        entry.run?.();
      }}
    >
      <ListItemIcon>{entry.icon}</ListItemIcon>
      <ListItemText>{entry.label}</ListItemText>
    </MenuItem>
  );
}

/**
 * The file context menu (FE ContextMenu/ContextMenu.tsx): a kept-mounted, dense MUI Menu
 * at the pointer position, with the real menu's items and groups for one file of the user's
 * drive (FE ContextMenu/useActionDisplayOpt.ts; docs/cloudreve-web-ui.md#context-menu), so it
 * is as tall as Cloudreve's and MUI's height cap (window height − 96 px) makes it scroll in short windows. Its items follow the selection even while it is closed
 * (0 items with nothing selected); right-click on empty space shows New folder / Refresh.
 */
export function ContextMenu() {
  const dispatch = useAppDispatch();
  const fm = useAppSelector((s) => s.fileManager[FileManagerIndex.main]!);
  const targets: FileResponse[] = useMemo(() => orderedSelection(fm), [fm]);
  const [moreAnchor, setMoreAnchor] = useState<HTMLElement | null>(null);
  const close = () => {
    setMoreAnchor(null);
    dispatch(closeMenu());
  };
  const paths = targets.map((f) => f.path);
  const single = targets.length === 1 ? targets[0] : undefined;
  // Items the stand-in lists only so that its menu is as long as Cloudreve's (its height matters
  // to what is placed in it); they say so when chosen.
  const notHere = (what: string) => dispatch(showSnackbar({ message: `${what}: not part of this stand-in.` }));

  const entries: Entry[] =
    fm.contextMenuType === 'empty'
      ? [
          {
            key: 'new-folder',
            label: 'New folder',
            icon: <AddIcon fontSize="small" />,
            run: () => dispatch(openPrompt({ kind: 'newFolder', targets: [] })),
          },
          {
            key: 'refresh',
            label: 'Refresh',
            icon: <RefreshIcon fontSize="small" />,
            run: () => void dispatch(refresh()),
          },
        ]
      : targets.length === 0
        ? []
        : [
            // Cloudreve's first group: open, open with, download.
            ...(single
              ? [
                  {
                    key: 'open',
                    label: 'Open',
                    icon: <OpenIcon fontSize="small" />,
                    run: () => (single.type === 1 ? dispatch(openFolder(single)) : notHere('Open')),
                  },
                ]
              : []),
            ...(single?.type === 0
              ? [
                  {
                    key: 'open-with',
                    label: 'Open with',
                    icon: <OpenWithIcon fontSize="small" />,
                    run: () => notHere('Open with'),
                  },
                ]
              : []),
            {
              key: 'download',
              label: 'Download',
              icon: <DownloadIcon fontSize="small" />,
              run: () => void dispatch(download(paths)),
              divider: true,
            },
            ...(single
              ? [
                  { key: 'share', label: 'Share', icon: <ShareIcon fontSize="small" />, run: () => notHere('Share') },
                  {
                    key: 'rename',
                    label: 'Rename',
                    icon: <RenameIcon fontSize="small" />,
                    run: () => dispatch(openPrompt({ kind: 'rename', targets: paths })),
                  },
                ]
              : []),
            {
              key: 'copy',
              label: 'Copy',
              icon: <CopyIcon fontSize="small" />,
              run: () => dispatch(openPrompt({ kind: 'copy', targets: paths })),
            },
            {
              key: 'move',
              label: 'Move',
              icon: <MoveIcon fontSize="small" />,
              run: () => dispatch(openPrompt({ kind: 'move', targets: paths })),
            },
            {
              key: 'direct-link',
              label: 'Get direct link',
              icon: <LinkIcon fontSize="small" />,
              run: () => notHere('Direct links'),
              divider: true,
            },
            { key: 'tags', label: 'Tags', icon: <TagIcon fontSize="small" />, run: () => notHere('Tags') },
            {
              key: 'organize',
              label: 'Organize',
              icon: <OrganizeIcon fontSize="small" />,
              run: () => notHere('Organize'),
            },
          ];

  // Details and Delete, after "More actions".
  const lastGroups: Entry[] = [
    ...(single
      ? [
          {
            key: 'details',
            label: 'Details',
            icon: <InfoIcon fontSize="small" />,
            run: () => notHere('Details'),
            divider: true,
          },
        ]
      : []),
    {
      key: 'delete',
      label: 'Delete',
      icon: <DeleteIcon fontSize="small" />,
      run: () => void dispatch(deleteFiles(paths)),
    },
  ];
  const render = (list: Entry[]): ReactNode[] =>
    list.flatMap((entry) => [
      <Item key={entry.key} entry={entry} onDone={close} />,
      ...(entry.divider ? [<Divider key={`${entry.key}-divider`} />] : []),
    ]);
  const items: ReactNode[] = render(entries);
  if (fm.contextMenuType === 'file' && targets.length > 0) {
    items.push(
      <MenuItem
        key="more"
        dense
        aria-haspopup="true"
        onClick={(e) => setMoreAnchor(e.currentTarget)}
        onMouseEnter={(e) => setMoreAnchor(e.currentTarget)}
      >
        <ListItemIcon>
          <WrenchIcon fontSize="small" />
        </ListItemIcon>
        <ListItemText>More actions</ListItemText>
        <ChevronRightIcon fontSize="small" color="action" />
      </MenuItem>,
      <Divider key="more-divider" />,
      ...render(lastGroups),
    );
  }

  return (
    <>
      <Menu
        keepMounted
        open={fm.contextMenuOpen}
        onClose={close}
        anchorReference="anchorPosition"
        anchorPosition={{ top: fm.contextMenuPos?.y ?? 0, left: fm.contextMenuPos?.x ?? 0 }}
        MenuListProps={{ dense: true }}
        onContextMenu={(e) => e.preventDefault()}
        slotProps={{ paper: { sx: { minWidth: 200 } } }}
      >
        {items}
      </Menu>
      <MoreActionsMenu
        anchor={fm.contextMenuOpen ? moreAnchor : null}
        targets={paths}
        onClose={() => setMoreAnchor(null)}
        onDone={close}
      />
    </>
  );
}
