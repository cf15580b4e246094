package io.edgebridge.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The fan-out latency distribution per fleet size, as a cumulative curve: share of clusters holding the app by time. */
final class FanoutChart {

    private FanoutChart() {
    }

    static void write(Path png, Map<String, List<Long>> sortedLatenciesBySize) throws IOException {
        System.setProperty("java.awt.headless", "true");
        var data = new XYSeriesCollection();
        for (var entry : sortedLatenciesBySize.entrySet()) {
            var series = new XYSeries(entry.getKey());
            var latencies = entry.getValue();
            for (int i = 0; i < latencies.size(); i++) {
                series.add(latencies.get(i).doubleValue(), 100.0 * (i + 1) / latencies.size());
            }
            data.addSeries(series);
        }
        var chart = ChartFactory.createXYLineChart("EdgeApp fan-out: apply until every proxy holds it",
                "milliseconds after the EdgeApp was created", "% of target clusters holding it", data,
                PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }
}
