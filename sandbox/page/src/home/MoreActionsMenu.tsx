import { ListItemIcon, ListItemText, Menu, MenuItem } from '@mui/material';
import { ArchiveIcon, CopyIcon } from '../common/icons';
import { GroupPermission, hasBit } from '../common/boolset';
import { currentSession } from '../api/session';
import { openCreateArchive, showSnackbar } from '../store/global-state-slice';
import { useAppDispatch, useAppSelector } from '../store/store';

/**
 * The "More actions" submenu: a second `.MuiMenu-root` popover that, unlike the main
 * menu, is not kept mounted. "Create archive file" needs the group's archive_task bit
 * (FE ContextMenu/useActionDisplayOpt.ts showCreateArchive).
 */
export function MoreActionsMenu({
  anchor,
  targets,
  onClose,
  onDone,
}: {
  anchor: HTMLElement | null;
  targets: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const dispatch = useAppDispatch();
  const siteUser = useAppSelector((s) => s.siteConfig.basic.config.user);
  const permission = (siteUser && !siteUser.anonymous ? siteUser : currentSession()?.user)?.group?.permission;
  const canArchive = hasBit(permission, GroupPermission.archiveTask);
  const copyUris = () => {
    void navigator.clipboard?.writeText(targets.join('\n')).then(
      () => dispatch(showSnackbar({ message: 'URI copied.' })),
      () => dispatch(showSnackbar({ message: 'Clipboard not available.' })),
    );
  };
  return (
    <Menu
      open={!!anchor}
      anchorEl={anchor}
      onClose={onClose}
      anchorOrigin={{ vertical: 'top', horizontal: 'right' }}
      transformOrigin={{ vertical: 'top', horizontal: 'left' }}
      MenuListProps={{ dense: true }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {canArchive && (
        <MenuItem
          dense
          onClick={() => {
            onDone();
            dispatch(openCreateArchive(targets));
          }}
        >
          <ListItemIcon>
            <ArchiveIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText>Create archive file</ListItemText>
        </MenuItem>
      )}
      <MenuItem
        dense
        onClick={() => {
          onDone();
          copyUris();
        }}
      >
        <ListItemIcon>
          <CopyIcon fontSize="small" />
        </ListItemIcon>
        <ListItemText>Copy URI</ListItemText>
      </MenuItem>
    </Menu>
  );
}
