// Benchmarks write to a keychain service of their own; whatever a crashed run left there goes.
import keytar from 'keytar';

/** A keychain service name unique to this process, e.g. `Tessera-bench-12345`. */
export function benchKeychainService(kind = 'bench'): string {
  return `Tessera-${kind}-${process.pid}`;
}

/** Deletes every entry of `service`; returns how many there were (0 when the keychain is unreachable). */
export async function deleteKeychainService(service: string): Promise<number> {
  try {
    const entries = await keytar.findCredentials(service);
    for (const { account } of entries) await keytar.deletePassword(service, account);
    return entries.length;
  } catch {
    return 0;
  }
}
