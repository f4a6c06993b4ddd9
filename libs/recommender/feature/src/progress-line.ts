import type { TrainingProgress } from './train-models.use-case';

const LABELS: Record<TrainingProgress['phase'], string> = {
  load: 'loading events',
  als: 'ALS iterations',
  content: 'TF-IDF',
  popularity: 'popularity',
  persist: 'saving factors',
  precompute: 'top-N to Redis',
};

/**
 * One line of the train command's progress bar (pure; the command rewrites it in place with
 * '\r'). A phase without a known total (loading) shows its count instead of a bar.
 */
export function renderProgressLine(progress: TrainingProgress, width = 30): string {
  const label = LABELS[progress.phase];
  if (progress.total === undefined || progress.total <= 0) {
    return `[${' '.repeat(width)}] ${label}: ${progress.done}`;
  }
  const ratio = Math.min(1, Math.max(0, progress.done / progress.total));
  const filled = Math.round(ratio * width);
  const percent = String(Math.floor(ratio * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${label} ${progress.done}/${progress.total}`;
}
