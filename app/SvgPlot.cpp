#include "app/SvgPlot.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mammo::app {

void writeSvgPlot(const std::string& path, const std::string& title, const std::string& xLabel,
                  const std::string& yLabel, const std::vector<PlotSeries>& series) {
  constexpr double kWidth = 640, kHeight = 400, kLeft = 70, kRight = 160, kTop = 40, kBottom = 50;
  double maxX = 0, maxY = 0;
  for (const auto& s : series) {
    for (double v : s.x) maxX = std::max(maxX, v);
    for (double v : s.y) maxY = std::max(maxY, v);
  }
  maxX = maxX > 0 ? maxX * 1.05 : 1;
  maxY = maxY > 0 ? maxY * 1.1 : 1;
  auto px = [&](double x) { return kLeft + x / maxX * (kWidth - kLeft - kRight); };
  auto py = [&](double y) { return kHeight - kBottom - y / maxY * (kHeight - kTop - kBottom); };
  static const char* kColours[] = {"#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400"};
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << kHeight
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  svg << "<text x='" << kWidth / 2 << "' y='20' text-anchor='middle' font-size='14'>" << title << "</text>\n";
  svg << "<line x1='" << kLeft << "' y1='" << py(0) << "' x2='" << px(maxX) << "' y2='" << py(0)
      << "' stroke='black'/>\n";
  svg << "<line x1='" << kLeft << "' y1='" << py(0) << "' x2='" << kLeft << "' y2='" << py(maxY)
      << "' stroke='black'/>\n";
  for (int i = 0; i <= 4; ++i) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", maxY * i / 4.0);
    svg << "<text x='" << kLeft - 6 << "' y='" << py(maxY * i / 4.0) + 4 << "' text-anchor='end'>" << text
        << "</text>\n";
    std::snprintf(text, sizeof text, "%.3g", maxX * i / 4.0);
    svg << "<text x='" << px(maxX * i / 4.0) << "' y='" << py(0) + 16 << "' text-anchor='middle'>" << text
        << "</text>\n";
  }
  svg << "<text x='" << (kLeft + kWidth - kRight) / 2 << "' y='" << kHeight - 10 << "' text-anchor='middle'>" << xLabel
      << "</text>\n";
  svg << "<text x='16' y='" << kHeight / 2 << "' text-anchor='middle' transform='rotate(-90 16 " << kHeight / 2 << ")'>"
      << yLabel << "</text>\n";
  for (size_t s = 0; s < series.size(); ++s) {
    const char* colour = kColours[s % 5];
    svg << "<polyline fill='none' stroke='" << colour << "' stroke-width='2' points='";
    for (size_t i = 0; i < series[s].x.size(); ++i) svg << px(series[s].x[i]) << "," << py(series[s].y[i]) << " ";
    svg << "'/>\n";
    for (size_t i = 0; i < series[s].x.size(); ++i) {
      svg << "<circle cx='" << px(series[s].x[i]) << "' cy='" << py(series[s].y[i]) << "' r='3' fill='" << colour
          << "'/>\n";
    }
    svg << "<text x='" << kWidth - kRight + 10 << "' y='" << kTop + 20 + 18 * s << "' fill='" << colour << "'>"
        << series[s].label << "</text>\n";
  }
  svg << "</svg>\n";
  std::ofstream out(path);
  if (!out || !(out << svg.str())) throw std::runtime_error(path + ": cannot write plot");
}

}  // namespace mammo::app
