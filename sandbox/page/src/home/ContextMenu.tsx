import { Divider, ListItemIcon, ListItemText, Menu, MenuItem } from '@mui/material';
import { useMemo, useState, type ReactNode } from 'react';
import type { FileResponse } from '../api/types';
import {
  AddIcon,
  ChevronRightIcon,
  CopyIcon,
  DeleteIcon,
  DownloadIcon,
  MoveIcon,
  OpenIcon,
  RefreshIcon,
  RenameIcon,
  WrenchIcon,
} from '../common/icons';
import { deleteFiles, download, orderedSelection } from '../store/action-thunks';
import { closeMenu, openFolder, refresh } from '../store/explorer-thunks';
import { FileManagerIndex } from '../store/file-manager-slice';
import { openPrompt } from '../store/global-state-slice';
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
 * at the pointer position. Its items follow the selection even while it is closed
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
            ...(single?.type === 1
              ? [
                  {
                    key: 'open',
                    label: 'Open',
                    icon: <OpenIcon fontSize="small" />,
                    run: () => dispatch(openFolder(single)),
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
              divider: true,
            },
          ];

  const items: ReactNode[] = entries.flatMap((entry) => [
    <Item key={entry.key} entry={entry} onDone={close} />,
    ...(entry.divider ? [<Divider key={`${entry.key}-divider`} />] : []),
  ]);
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
      <Item
        key="delete"
        entry={{
          key: 'delete',
          label: 'Delete',
          icon: <DeleteIcon fontSize="small" />,
          run: () => void dispatch(deleteFiles(paths)),
        }}
        onDone={close}
      />,
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
