import ReactEChartsCore from "echarts-for-react/lib/core";
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { EChartsCoreOption } from "echarts/core";

// Only what these charts use (bars, lines, axes, tooltip, legend, the aria description), drawn as
// SVG: a fraction of the whole library, loaded with the indicator pages alone.
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

/**
 * A chart with its title as a figure caption; the figures it draws are also in the table next to
 * it, so nobody depends on seeing the chart.
 */
export function Chart({ option, height, caption }: { option: EChartsCoreOption; height: number; caption: string }) {
  return (
    <figure className="sv-chart">
      <figcaption className="sv-chart-caption">{caption}</figcaption>
      <ReactEChartsCore
        echarts={echarts}
        option={{ aria: { enabled: true }, textStyle: { fontFamily: "inherit" }, ...option }}
        style={{ height, width: "100%" }}
        notMerge
        opts={{ renderer: "svg" }}
      />
    </figure>
  );
}
