import fs from 'node:fs';
import path from 'node:path';
import { problem } from './problems';
import { LANGUAGES, type Lang, type Problem } from './types';

/** Countries with a demo profile in knowledge/regions/<code>.json. */
export const SHOP_COUNTRIES = ['MX', 'CL', 'CO'] as const;
export type ShopCountry = (typeof SHOP_COUNTRIES)[number];

/** A fact an answer names with `[[key]]`: the shop's own (knowledge/shop.json) or its country's demo value. */
export interface ShopValue {
  text: string;
  demo: boolean;
  file: string;
}
export type ShopValues = Record<Lang, Record<string, ShopValue>>;

export const SHOP_VALUES_FILE = 'shop.json';
export const REGIONS_DIR = 'regions';
const KEY = /^[a-z][a-z0-9-]*$/;
const MAX_VALUE = 500;

/**
 * The country's demo profile overlaid with the shop's own values. `read` returns a file's text (or null
 * when absent), so the loader can hash what it read. Bad files are reported, never thrown.
 */
export function loadShopValues(knowledgeDir: string, country: ShopCountry, read: (file: string) => string | null, problems: Problem[]): ShopValues {
  const values = Object.fromEntries(LANGUAGES.map((lang) => [lang, {}])) as ShopValues;
  const layers = [
    { file: path.join(knowledgeDir, REGIONS_DIR, `${country.toLowerCase()}.json`), demo: true },
    { file: path.join(knowledgeDir, SHOP_VALUES_FILE), demo: false },
  ];
  for (const { file, demo } of layers) {
    const text = fs.existsSync(file) ? read(file) : null;
    if (text === null) continue;
    for (const [lang, key, value] of parseValues(text, file, problems)) values[lang][key] = { text: value, demo, file };
  }
  return values;
}

function parseValues(text: string, file: string, problems: Problem[]): Array<[Lang, string, string]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    problems.push(problem({ file, line: 0 }, 'error', 'values_json', { reason: (error as Error).message }));
    return [];
  }
  if (!isObject(data)) {
    problems.push(problem({ file, line: 0 }, 'error', 'values_shape'));
    return [];
  }
  const found: Array<[Lang, string, string]> = [];
  for (const [lang, byKey] of Object.entries(data)) {
    if (!(LANGUAGES as readonly string[]).includes(lang) || !isObject(byKey)) {
      problems.push(problem({ file, line: 0 }, 'warning', 'values_lang', { lang, langs: LANGUAGES.join(', ') }));
      continue;
    }
    for (const [key, value] of Object.entries(byKey)) {
      if (!KEY.test(key) || typeof value !== 'string' || !value.trim() || value.length > MAX_VALUE) {
        problems.push(problem({ file, line: 0 }, 'warning', 'values_entry', { key: `${lang}.${key}`, max: MAX_VALUE }));
        continue;
      }
      found.push([lang as Lang, key, value.trim()]);
    }
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
