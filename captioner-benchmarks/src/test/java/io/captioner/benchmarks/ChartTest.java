package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

class ChartTest {

    private static Report report() {
        return Reports.report(List.of(
                Reports.decoding("project", "flickr8k", "greedy", 1, "cpu", 3.2),
                Reports.decoding("naive", "flickr8k", "greedy", 1, "cpu", 32.0)), null, List.of());
    }

    @Test
    void everyDecodingRowIsOneBarGroupOfProjectNaiveAndRoofline() {
        Report report = report();

        CategoryChart chart = Chart.build(report.decoding, "t");

        assertThat(chart.getSeriesMap()).containsOnlyKeys(Chart.PROJECT, Chart.NAIVE, Chart.ROOFLINE);
        CategorySeries project = chart.getSeriesMap().get(Chart.PROJECT);
        assertThat(project.getXData()).hasSize(report.decoding.size()).first().isEqualTo("flickr8k greedy b=1");
        assertThat(new ArrayList<>(project.getYData()).get(0).doubleValue()).isEqualTo(200.0);
        assertThat(new ArrayList<>(chart.getSeriesMap().get(Chart.NAIVE).getYData()).get(0).doubleValue())
                .isEqualTo(2000.0);
    }

    @Test
    void theLogAxisSpansWholeDecadesAroundEveryFigure() {
        Report report = report();

        CategoryChart chart = Chart.build(report.decoding, "t");

        double min = chart.getStyler().getYAxisMin();
        double max = chart.getStyler().getYAxisMax();
        assertThat(Math.log10(min)).isEqualTo(Math.rint(Math.log10(min)));
        assertThat(Math.log10(max)).isEqualTo(Math.rint(Math.log10(max)));
        assertThat(report.decoding).allSatisfy(r -> assertThat(r.rooflineStepUs()).isBetween(min, max));
        assertThat(min).isLessThanOrEqualTo(200.0);
        assertThat(max).isGreaterThanOrEqualTo(2000.0);
    }

    @Test
    void aFigureThatWasNotMeasuredHasNoBar() {
        CategoryChart chart = Chart.build(report().decoding, "t");

        List<Number> project = new ArrayList<>(chart.getSeriesMap().get(Chart.PROJECT).getYData());
        assertThat(project.subList(1, project.size())).containsOnlyNulls();
        assertThat(chart.getSeriesMap().get(Chart.ROOFLINE).getYData()).doesNotContainNull();
    }

    @Test
    void writesAPngOfTheChartsSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.png.tmp");

        Chart.write(report(), file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1400);
        assertThat(image.getHeight()).isEqualTo(720);
    }

    @Test
    void noRowsIsRefused() {
        assertThatThrownBy(() -> Chart.build(List.of(), "t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found none");
    }
}
