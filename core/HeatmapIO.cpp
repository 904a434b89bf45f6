#include "core/HeatmapIO.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "core/Errors.h"
#include "core/HeatmapHdf5.h"

namespace mammo::core {
namespace {

constexpr char kMagic[8] = {'M', 'A', 'M', 'M', 'O', 'H', 'M', '1'};

}  // namespace

HeatmapData readHeatmapFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LoadError(path, "cannot open");
  char head[8] = {};
  in.read(head, 8);
  if (in.gcount() == 8 && std::memcmp(head, "\x89HDF\r\n\x1a\n", 8) == 0) return readNyuHdf5Heatmap(path);
  if (in.gcount() < 8 || std::memcmp(head, kMagic, 8) != 0)
    throw LoadError(path, "neither a Mammolens nor an NYU HDF5 heatmap");
  std::int32_t dims[2] = {};
  in.read(reinterpret_cast<char*>(dims), sizeof dims);
  if (!in || dims[0] <= 0 || dims[1] <= 0 || dims[0] > 65535 || dims[1] > 65535)
    throw LoadError(path, "bad heatmap header");
  std::vector<float> values(static_cast<size_t>(dims[0]) * dims[1]);
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * 4));
  if (!in) throw LoadError(path, "truncated heatmap");
  return HeatmapData(dims[0], dims[1], std::move(values));
}

void writeMammolensHeatmap(const std::filesystem::path& path, const HeatmapData& h) {
  if (h.empty()) throw std::invalid_argument(path.string() + ": no heatmap to write");
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(kMagic, 8);
    const std::int32_t dims[2] = {h.rows(), h.columns()};
    out.write(reinterpret_cast<const char*>(dims), sizeof dims);
    out.write(reinterpret_cast<const char*>(h.data()), static_cast<std::streamsize>(h.size() * 4));
    if (!out.flush()) throw std::runtime_error(path.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace mammo::core
