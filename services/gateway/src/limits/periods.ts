// Budget periods in UTC: the day and month a moment falls in, and the seconds until each ends.

export interface Period {
  kind: "day" | "month";
  key: string;
  endsInSeconds: number;
}

export function periodsAt(now: number): [Period, Period] {
  const date = new Date(now);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  const dayEnd = Date.UTC(y, m, d + 1);
  const monthEnd = Date.UTC(y, m + 1, 1);
  const iso = date.toISOString();
  return [
    { kind: "day", key: iso.slice(0, 10), endsInSeconds: Math.ceil((dayEnd - now) / 1000) },
    { kind: "month", key: iso.slice(0, 7), endsInSeconds: Math.ceil((monthEnd - now) / 1000) },
  ];
}
