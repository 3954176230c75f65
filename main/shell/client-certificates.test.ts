// setupClientCertificates adapts Electron's app 'select-client-certificate' event to the electron-free
// decision. Electron cannot run here: a stand-in app records the listener, and the test calls it with
// the arguments Electron 45 passes (event, webContents or null, "host:port", certificates, callback).
import type { App } from 'electron';
import { describe, expect, it } from 'vitest';
import { setupClientCertificates } from './client-certificates';

type Listener = (
  event: { preventDefault(): void },
  contents: unknown,
  hostAndPort: string,
  list: Array<{ subjectName: string }>,
  callback: (certificate?: { subjectName: string }) => void,
) => void;

function installed(trusted: string[]) {
  const listeners: Record<string, Listener> = {};
  const app = {
    on: (name: string, listener: Listener) => {
      listeners[name] = listener;
    },
  };
  setupClientCertificates(app as unknown as App, () => trusted);
  const listener = listeners['select-client-certificate'];
  if (!listener) throw new Error('no select-client-certificate listener');
  return (hostAndPort: string, list: Array<{ subjectName: string }>) => {
    let prevented = false;
    const answers: unknown[][] = [];
    listener({ preventDefault: () => (prevented = true) }, null, hostAndPort, list, (...args) => {
      answers.push(args);
    });
    return { prevented, answers };
  };
}

const CERTS = [{ subjectName: 'Kim Doe (smart card)' }, { subjectName: 'Kim Doe (other)' }];

describe('setupClientCertificates()', () => {
  it("presents no certificate to a server the person did not connect to (a probe's, a page's link)", () => {
    const ask = installed(['https://api.corp.example/']);
    // Electron's default would have sent the first certificate of the store: the listener always decides.
    expect(ask('attacker.example:443', CERTS)).toEqual({ prevented: true, answers: [[]] });
  });

  it('presents the first certificate, as Electron would, to the API the person connected to', () => {
    const ask = installed(['https://api.corp.example/']);
    expect(ask('api.corp.example:443', CERTS)).toEqual({ prevented: true, answers: [[CERTS[0]]] });
    expect(ask('api.corp.example:443', [])).toEqual({ prevented: true, answers: [[]] });
  });
});
