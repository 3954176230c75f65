import type { App } from 'electron';
import { offersClientCertificate } from '../security/client-certificate';

/**
 * Answers every request for a TLS client certificate (the page's and main's own, `net.request`): the
 * first certificate of the store, as Electron would, only to a server the person connected to
 * (offersClientCertificate); no certificate to any other. Without this listener Electron sends the
 * first one to whatever server asks.
 */
export function setupClientCertificates(app: Pick<App, 'on'>, trustedUrls: () => readonly string[]): void {
  app.on('select-client-certificate', (event, _contents, hostAndPort, list, callback) => {
    event.preventDefault();
    const first = list[0];
    if (first !== undefined && offersClientCertificate(hostAndPort, trustedUrls())) callback(first);
    else callback();
  });
}
