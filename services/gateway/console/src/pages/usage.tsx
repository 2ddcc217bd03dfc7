// Usage: requests, tokens and latency over time, and the token budget left today and this month.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, latencySamples } from "../api.ts";
import { Chart, type Series } from "../chart.tsx";
import { Busy, ErrorView } from "../ui.tsx";
import { fromTimeSeries, type TimeSeries } from "./usage-series.ts";

interface Period { period: string; requests: number; tokens: number; ttsCharacters: number; tokensReserved: number; tokenBudget: number | null; tokensLeft: number | null }
interface Report { tenantId: string; day: Period; month: Period }

const POLL_MS = 10_000;

export function Usage() {
  const [report, setReport] = useState<Report | null>(null);
  const [samples, setSamples] = useState<{ t: number; requests: number; tokens: number }[]>([]);
  const [series, setSeries] = useState<TimeSeries | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let stopped = false;
    let hasSeries: boolean | undefined;
    const tick = async () => {
      try {
        const now = await api<Report>("/v1/usage");
        if (stopped) return;
        setReport(now);
        setError(null);
        setSamples((s) => [...s.slice(-200), { t: Date.now(), requests: now.day.requests, tokens: now.day.tokens }]);
        // The time series (GET /v1/usage?from&to&granularity) once the gateway has it; counters sampled here until then.
        if (hasSeries === false) return;
        const to = new Date();
        const from = new Date(to.getTime() - 24 * 3600_000);
        const answer = await api<unknown>(`/v1/usage?from=${from.toISOString()}&to=${to.toISOString()}&granularity=hour`).catch((e: unknown) => (e instanceof ApiError ? null : Promise.reject(e)));
        const found = fromTimeSeries(answer);
        hasSeries = found !== null;
        if (!stopped) setSeries(found);
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    void tick();
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  if (error !== null && !report) return <ErrorView error={error} />;
  if (!report) return <Busy label="Loading usage" />;
  const requests: Series = series?.requests ?? { label: "requests", points: samples.map((s) => ({ t: s.t, v: s.requests })) };
  const tokens: Series = series?.tokens ?? { label: "tokens", points: samples.map((s) => ({ t: s.t, v: s.tokens })) };
  const latency: Series = series?.latency ?? { label: "latency", points: latencySamples.map((s) => ({ t: s.t, v: s.ms })) };
  return (
    <div class="usage">
      {error !== null && <ErrorView error={error} />}
      <div class="cards">
        <Budget title="Today" period={report.day} />
        <Budget title="This month" period={report.month} />
      </div>
      <p class="hint">
        {series ? "Last 24 hours, per hour (latency: the slowest route's p95)." : `Sampled every ${POLL_MS / 1000} s while this page is open (today's totals); latency is the gateway time of this console's requests.`}
      </p>
      <div class="charts">
        <Chart title="Requests" series={requests} unit="" />
        <Chart title="Tokens" series={tokens} unit="" />
        <Chart title="Latency" series={latency} unit="ms" />
      </div>
    </div>
  );
}

function Budget({ title, period }: { title: string; period: Period }) {
  const used = period.tokenBudget ? Math.min(1, (period.tokens + period.tokensReserved) / period.tokenBudget) : 0;
  return (
    <section class="card" aria-label={`${title} usage`}>
      <h2>
        {title} <small>{period.period}</small>
      </h2>
      <dl>
        <dt>Requests</dt>
        <dd data-testid={`${title === "Today" ? "day" : "month"}-requests`}>{period.requests.toLocaleString("en")}</dd>
        <dt>Tokens</dt>
        <dd data-testid={`${title === "Today" ? "day" : "month"}-tokens`}>{period.tokens.toLocaleString("en")}</dd>
        <dt>Speech characters</dt>
        <dd>{period.ttsCharacters.toLocaleString("en")}</dd>
        <dt>Budget left</dt>
        <dd>{period.tokensLeft === null ? "no budget set" : `${period.tokensLeft.toLocaleString("en")} of ${(period.tokenBudget ?? 0).toLocaleString("en")} tokens`}</dd>
      </dl>
      {period.tokenBudget !== null && <meter min={0} max={1} low={0.7} high={0.9} optimum={0} value={used} aria-label={`${Math.round(used * 100)}% of the budget used`} />}
    </section>
  );
}
