import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli';

describe('atento ask', () => {
  it('prints the decision, the answer and the candidates with matched words', () => {
    const { code, stdout } = runCli(['ask', '¿cuánto cuesta el envío?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^decision: {3}answer → shipping-cost \(confidence [01]\.\d\d\)/);
    expect(stdout).toMatch(/candidates:\n {2}[01]\.\d{3} {2}shipping-cost +matched: .*envio/);
  });

  it('says which words of an off-topic question no entry uses, and which belong to other entries', () => {
    const { code, stdout } = runCli(['ask', 'cuanto cuesta el envio de un elefante']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^unknown: {4}elefante \(no entry's phrasings use them: every candidate is less sure\)$/m);
    expect(stdout).toMatch(/shipping-cost +matched: cuanto, cuesta, envio\n/);
    expect(stdout).toMatch(/shipping-time +matched: .*\n +other entries' words: cuesta\n/);
    expect(stdout).not.toMatch(/other entries' words: .*elefante/);
  });

  it('says in words why it did not answer a question resting on one word', () => {
    const { code, stdout } = runCli(['ask', 'a que hora abre el banco central']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^decision: {3}clarify → support-hours/);
    expect(stdout).toMatch(/^why: {8}only one word of the message \(hora\) points to the best candidate, .*offered as a choice, not answered\.$/m);
  });

  it('refuses a missing question with a usage message', () => {
    const { code, stderr } = runCli(['ask']);
    expect(code).toBe(2);
    expect(stderr).toContain('atento ask: give a question');
  });
});

describe('atento classify', () => {
  it('writes one JSON object per line, in order, for plain and JSON input; a bad line gets an error object', () => {
    const input = ['me cobraron dos veces la misma compra', '{"text": "how much does shipping cost", "lang": "en"}', '{"text": broken', '', 'asdkj qwe zxcv'].join('\n');
    const { code, stdout } = runCli(['classify'], { input });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(code).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ text: 'me cobraron dos veces la misma compra', lang: 'es', action: 'escalate', id: 'double-charge' });
    expect(lines[1]).toMatchObject({ lang: 'en', action: 'answer', id: 'shipping-cost' });
    expect(lines[2]).toEqual({ line: 3, error: expect.stringContaining('not valid JSON') });
    expect(lines[3]).toMatchObject({ action: 'fallback', id: null });
    for (const line of [lines[0], lines[1], lines[3]]) {
      expect(Object.keys(line)).toEqual(['text', 'lang', 'action', 'id', 'confidence', 'candidates']);
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('atento kb check', () => {
  it('reports problems as file:line and fails on errors', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-cli-'));
    fs.mkdirSync(path.join(root, 'knowledge/es'), { recursive: true });
    fs.mkdirSync(path.join(root, 'intents/es'), { recursive: true });
    fs.writeFileSync(path.join(root, 'knowledge/es/pagos.md'), '# Pagos\n\n## ¿Aceptan tarjeta?\nid: payment-methods\n### Respuesta\nSí, desde [[$100]].\n\n## Roto\n### Respuesta\nx\n');
    const { code, stdout } = runCli(['kb', 'check', '--knowledge', path.join(root, 'knowledge'), '--intents', path.join(root, 'intents')]);
    fs.rmSync(root, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stdout).toContain(`${path.join(root, 'knowledge/es/pagos.md')}:8: error: entry "Roto" has no id`);
    expect(stdout).toContain('placeholder: "$100" in payment-methods');
    expect(stdout).toMatch(/1 entries loaded .* 1 errors/);
  });

  it('passes on the shipped knowledge base', () => {
    const { code, stdout } = runCli(['kb', 'check']);
    expect(stdout).toMatch(/0 errors/);
    expect(code).toBe(0);
  });
});

describe('atento with a wrong command or configuration', () => {
  it('names the unknown command and shows the usage', () => {
    const { code, stderr } = runCli(['akс']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command "akс"[\s\S]*Usage: atento <command>/);
  });

  it('names a misspelled environment variable', () => {
    const { code, stderr } = runCli(['ask', 'hola'], { env: { ATENTO_DATADIR: '/tmp' } });
    expect(code).toBe(2);
    expect(stderr).toContain('unknown environment variable ATENTO_DATADIR');
  });

  it('serve on a port already in use says so in one line and exits 1', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-port-'));
    try {
      const { code, stdout } = runCli(['serve'], { env: { PORT: String(port), ATENTO_HOST: '127.0.0.1', ATENTO_DATA_DIR: dataDir } });
      expect(code).toBe(1);
      const fatal = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.level === 60);
      expect(fatal?.msg).toBe(`cannot listen on 127.0.0.1:${port}: the port is in use (another Atento, or another program); stop it or set PORT to a free one`);
    } finally {
      taken.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serve with a data folder it cannot use (a file in the way) names the folder and the variable in one line, and exits 1', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-data-'));
    const dataDir = path.join(parent, 'data');
    fs.writeFileSync(dataDir, 'not a folder');
    try {
      const { code, stdout, stderr } = runCli(['serve'], { env: { PORT: '0', ATENTO_HOST: '127.0.0.1', ATENTO_DATA_DIR: dataDir } });
      expect(code).toBe(1);
      expect(stderr).not.toMatch(/\bat \S+ \(/);
      const fatal = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.level === 60);
      expect(fatal?.msg).toBe(`cannot use the data folder ${dataDir} (ENOTDIR on ${path.join(dataDir, 'session-secret')}): make it a folder this user can write, or set ATENTO_DATA_DIR to one`);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
