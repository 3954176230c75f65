// The words of the update notifications (setup-updates.ts shows them), in each of the app's languages.
import type { Locale } from '../../common/locale';
import type { NotifyReason } from './run-updates';

/** A notification's title and text. */
export interface UpdateNotice {
  title: string;
  body: string;
}

interface UpdateWords {
  /** A newer version this copy does not install itself (`reason`: why not). */
  available(version: string, reason: NotifyReason): UpdateNotice;
  /** A verified update, downloaded, that installs when the app quits. */
  ready(version: string): UpdateNotice;
}

const WORDS: Record<Locale, UpdateWords> = {
  en: {
    available: (version, reason) => ({
      title: 'Tessera update available',
      body:
        reason === 'managed'
          ? `Tessera ${version} is available. Your administrator installs updates on this computer.`
          : `Tessera ${version} is available. This copy cannot verify updates itself, so it does not install ` +
            'them: get the new version from your administrator.',
    }),
    ready: (version) => ({
      title: 'Tessera update ready',
      body: `Tessera ${version} has been downloaded and verified. It is installed when you quit Tessera.`,
    }),
  },
  ko: {
    available: (version, reason) => ({
      title: 'Tessera 업데이트가 있습니다',
      body:
        reason === 'managed'
          ? `Tessera ${version} 버전이 나왔습니다. 이 컴퓨터에서는 관리자가 업데이트를 설치합니다.`
          : `Tessera ${version} 버전이 나왔습니다. 이 사본은 업데이트를 직접 검증할 수 없어 설치하지 않습니다. ` +
            '새 버전은 관리자에게 받으세요.',
    }),
    ready: (version) => ({
      title: 'Tessera 업데이트 준비 완료',
      body: `Tessera ${version} 버전을 내려받아 검증했습니다. Tessera를 종료하면 설치됩니다.`,
    }),
  },
};

/** The notification that `version` is available and why this copy does not install it, in `locale`. */
export function updateAvailableNotice(version: string, reason: NotifyReason, locale: Locale): UpdateNotice {
  return WORDS[locale].available(version, reason);
}

/** The notification that `version` is downloaded, verified and installs on quit, in `locale`. */
export function updateReadyNotice(version: string, locale: Locale): UpdateNotice {
  return WORDS[locale].ready(version);
}
