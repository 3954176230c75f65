/**
 * Whether a server asking for a TLS client certificate during the handshake gets one. Electron's
 * default answers every server with the first certificate of the OS store, so any https host the app
 * is made to contact - a URL the page has main probe (the connect wizard asks no one first), a trial
 * sign-in's server - would learn who the person is (name, e-mail, organization) and get a handshake
 * signed with their key, a smart card perhaps asking for its PIN. Only the servers the person connected
 * to (`trustedUrls`: every account's API, and the OpenID provider in use) get it.
 *
 * `hostAndPort` is what Electron names the server by ("api.corp.example:443", "[::1]:9443").
 */
export function offersClientCertificate(hostAndPort: string, trustedUrls: readonly string[]): boolean {
  const asking = hostAndPort.toLowerCase();
  return trustedUrls.some((url) => {
    const parsed = URL.parse(url);
    if (parsed === null || parsed.protocol !== 'https:') return false;
    return `${parsed.hostname}:${parsed.port || '443'}` === asking;
  });
}
