#!/bin/bash

# Tessera: electron-builder's after-remove.tpl (app-builder-lib 26.17.0) with the guard below; the rest is
# unchanged (test/distribution/linux-packages.test.ts compares them). It is the deb's postrm and the rpm's
# %postun. rpm runs %postun with the number of versions still installed: during an upgrade that is 1 or
# more, and it runs after the new version's %post, so removing then would delete the new version's
# `tessera` command and AppArmor profile (electron-builder issue #7326). dpkg passes "upgrade" and then
# runs the new version's postinst, which sets both up again, or "abort-upgrade" when it puts the old
# version back; nothing to undo in any of these.
case "$1" in
  [1-9]* | upgrade | failed-upgrade | abort-upgrade) exit 0 ;;
esac

# Delete the link to the binary
# update-alternatives --remove <name> <path>: 'path' must be the registered alternative binary,
# not the generic symlink — see https://man7.org/linux/man-pages/man1/update-alternatives.1.html
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi
