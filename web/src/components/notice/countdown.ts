/**
 * A live countdown to (or since) a due time, to the second: "2 days 4 hours 12 minutes 5 seconds". Leading zero
 * units are left out; seconds are dropped once more than a day remains, where they would only be noise.
 */
export function countdown(dueAt: string, now: Date): { text: string; overdue: boolean } {
  const ms = new Date(dueAt).getTime() - now.getTime();
  const overdue = ms <= 0;
  let seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const units: [number, string][] = [
    [days, 'day'],
    [hours, 'hour'],
    [minutes, 'minute'],
    ...(days > 0 ? [] : ([[seconds, 'second']] as [number, string][])),
  ];
  const first = units.findIndex(([amount]) => amount > 0);
  const shown = first === -1 ? [[0, 'second'] as [number, string]] : units.slice(first);
  const text = shown.map(([amount, unit]) => `${amount} ${unit}${amount === 1 ? '' : 's'}`).join(' ');
  return { text: overdue ? `Overdue by ${text}` : `${text} left`, overdue };
}
