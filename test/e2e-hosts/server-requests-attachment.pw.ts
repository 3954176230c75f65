// Run by server-requests-attachment.test.ts through Playwright, with the e2e fixtures (e2e/fixtures.ts)
// but no app: one test that fails after the servers answered a few requests (a refused sign-in, a
// sign-in, an authenticated call, a token in a path, a query string), one that passes. The tokens go to
// the file named by TESSERA_ATTACHMENT_TOKENS, so the test can check that no attachment holds them.
import { writeFileSync } from 'node:fs';
import { expect, test } from '../../e2e/fixtures';

const json = { 'Content-Type': 'application/json' };

test('fails after requests to both servers', async ({ server, otherServer }) => {
  await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'demo', password: 'wrong-password' }),
  });
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
  });
  const { accessToken, refreshToken } = (await login.json()) as { accessToken: string; refreshToken: string };
  writeFileSync(process.env.TESSERA_ATTACHMENT_TOKENS as string, JSON.stringify([accessToken, refreshToken]));
  await fetch(`${server.url}/api/user/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  await fetch(`${server.url}/api/${accessToken}/${refreshToken}?refreshToken=${refreshToken}`);
  await fetch(`${otherServer.url}/health`);
  expect(login.status, 'this test fails on purpose, after the requests').toBe(0);
});

test('passes after a request', async ({ server }) => {
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
});
