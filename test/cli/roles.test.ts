import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../../src/store';
import { runCli } from './run-cli';

/** Roles from the command line, on a real SQLite file. */

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-roles-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const cli = (...args: string[]) => runCli(args, { env: { ATENTO_DATA_DIR: dataDir } });

test('agent add --role, agent list shows roles, agent role changes one', () => {
  expect(cli('agent', 'add', '--email', 'ana@tienda.example', '--name', 'Ana').code).toBe(0);
  expect(cli('agent', 'add', '--email', 'eva@tienda.example', '--name', 'Eva', '--role', 'editor').stdout).toMatch(/^Created editor Eva/);
  expect(cli('agent', 'list').stdout).toBe('ana@tienda.example\tAna\tagent\neva@tienda.example\tEva\teditor\n');
  expect(cli('agent', 'role', '--email', 'ana@tienda.example', '--role', 'admin')).toMatchObject({ code: 0, stdout: 'ana@tienda.example is now admin.\n' });
  expect(cli('agent', 'list').stdout).toContain('ana@tienda.example\tAna\tadmin\n');
});

test('a wrong role or an unknown e-mail is a clear error', () => {
  const bad = cli('agent', 'add', '--email', 'ana@tienda.example', '--name', 'Ana', '--role', 'boss');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--role must be one of agent, editor, admin (admin has everything), not "boss"');
  expect(cli('agent', 'add', '--email', 'eva@tienda.example', '--name', 'Eva').code).toBe(0);
  const unknown = cli('agent', 'role', '--email', 'nadie@tienda.example', '--role', 'editor');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('no agent with e-mail nadie@tienda.example');
});

test('list and role where there is no database say so, and create none (the wrong folder, or no ATENTO_DATA_DIR)', () => {
  for (const args of [['agent', 'list'], ['agent', 'role', '--email', 'ana@tienda.example', '--role', 'admin']]) {
    const { code, stderr } = cli(...args);
    expect(code).toBe(1);
    expect(stderr).toContain(`no database at ${path.join(dataDir, 'atento.db')} yet`);
  }
  expect(fs.readdirSync(dataDir)).toEqual([]);
});

test('the roles migration keeps existing accounts and sessions and allows editor, nothing else', () => {
  const db = new Database(path.join(dataDir, 'old.db'));
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 2));
  db.prepare("INSERT INTO agents VALUES ('a1', 'ana@tienda.example', 'Ana', 'admin', 'scrypt$x', '2026-01-01')").run();
  db.prepare("INSERT INTO agent_sessions VALUES ('h', 'a1', '2026-01-01', '2099-01-01')").run();
  migrate(db);
  expect(db.prepare('SELECT role FROM agents').get()).toEqual({ role: 'admin' });
  db.prepare("UPDATE agents SET role = 'editor'").run();
  expect(() => db.prepare("UPDATE agents SET role = 'boss'").run()).toThrow(/CHECK constraint failed/);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.prepare('SELECT COUNT(*) AS n FROM agent_sessions').get()).toEqual({ n: 1 });
  db.close();
});
