/**
 * A new chat must be noticed even in a background tab: a short two-tone chime (Web Audio, no sound
 * file to host) and a blinking title until the agent comes back.
 */

import { t } from './i18n';

let blink: ReturnType<typeof setInterval> | undefined;
let audio: AudioContext | undefined;

export function alertNewChat(label = t('alert.newChat')): void {
  chime();
  if (blink !== undefined) return;
  let on = false;
  blink = setInterval(() => {
    on = !on;
    document.title = on ? `🔔 ${label} · Atento` : t('shell.title');
  }, 1000);
  document.title = `🔔 ${label} · Atento`;
  if (!document.hidden) setTimeout(clearTitleAlert, 4000);
}

export function clearTitleAlert(): void {
  if (blink === undefined) return;
  clearInterval(blink);
  blink = undefined;
  document.title = t('shell.title');
}

function chime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1320],
    ]) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    // No audio (autoplay policy before any click, or no device): the title still changes.
  }
}
