// A time-series line chart (uPlot on a canvas), sized to its container, with the numbers also given as text.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series { label: string; points: { t: number; v: number }[] }

export function Chart({ title, series, unit }: { title: string; series: Series; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [series.points.map((p) => p.t / 1000), series.points.map((p) => p.v)];

  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(240, el.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 160,
        legend: { show: false },
        // One point alone would stretch the time axis over years: give it a minute either side.
        scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - 60, max + 60] : [min, max]) } },
        axes: [{ stroke: "#667" }, { stroke: "#667", size: 56 }],
        series: [{}, { label: series.label, stroke: "#f38020", width: 2, fill: "rgba(243,128,32,0.12)", points: { size: 5 } }],
      },
      data,
      el,
    );
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 160 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
    };
  }, []);
  useEffect(() => plot.current?.setData(data), [series]);

  const last = series.points[series.points.length - 1];
  return (
    <figure class="chart">
      <figcaption>
        {title}: <strong data-testid={`latest-${series.label}`}>{last ? `${Math.round(last.v)} ${unit}` : "no data yet"}</strong>
      </figcaption>
      <div ref={box} role="img" aria-label={`${title}, ${series.points.length} points${last ? `, latest ${Math.round(last.v)} ${unit}` : ""}`} />
    </figure>
  );
}
