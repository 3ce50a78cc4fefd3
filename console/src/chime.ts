/** The person's chosen volume, 0 to 100 (notificationPreferences.soundVolume). */
let chosenVolume = 60;
/** The tone's gain at full volume: loud enough to notice, never startling. */
const LOUDEST = 0.13;

export function setChimeVolume(percent: number): void {
  chosenVolume = Math.min(100, Math.max(0, percent));
}

/** A short tone for an arrival the person asked to hear, at their volume. */
export function chime(): void {
  if (chosenVolume === 0) return;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime((LOUDEST * chosenVolume) / 100, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.4);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
    tone.onended = () => void audio.close();
  } catch {
    // A browser that allows no sound before a click still shows the notice.
  }
}
