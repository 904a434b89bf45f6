#pragma once
// A minimal SVG line chart for benchmark reports (docs/performance.md embeds the files).
#include <string>
#include <vector>

namespace mammo::app {

struct PlotSeries {
  std::string label;
  std::vector<double> x, y;
};

// Writes a chart with linear axes from 0 to the data maxima; throws std::runtime_error naming the file.
void writeSvgPlot(const std::string& path, const std::string& title, const std::string& xLabel,
                  const std::string& yLabel, const std::vector<PlotSeries>& series);

}  // namespace mammo::app
