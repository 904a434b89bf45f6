// The NYU reference's HDF5 heatmap layout (core/HeatmapIO.h); built with MAMMO_WITH_HDF5.
#include <dlfcn.h>
#include <hdf5.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "core/Errors.h"
#include "core/HeatmapHdf5.h"

namespace mammo::core {
namespace {

constexpr H5Z_filter_t kLzfFilter = 32000;

// HDF5 prints its error stack to stderr by default and searches its plugin folder from the build-time
// default; make both predictable once.
void initialiseHdf5() {
  static std::once_flag once;
  std::call_once(once, [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    // Debian 12's LZF plugin calls liblzf without linking it; make its symbols global before HDF5
    // dlopens the plugin (the library stays loaded for the life of the process on purpose).
    dlopen("liblzf.so.1", RTLD_NOW | RTLD_GLOBAL);
    for (const char* dir :
         {"/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins", "/usr/lib/aarch64-linux-gnu/hdf5/serial/plugins"}) {
      if (std::filesystem::exists(dir)) H5PLappend(dir);
    }
  });
}

// Closes an HDF5 handle on scope exit.
struct Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Handle() {
    if (id >= 0) close(id);
  }
};

}  // namespace

HeatmapData readNyuHdf5Heatmap(const std::filesystem::path& path) {
  initialiseHdf5();
  Handle file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (file.id < 0) throw LoadError(path, "cannot open as HDF5");
  Handle dataset{H5Dopen2(file.id, "image", H5P_DEFAULT), H5Dclose};
  if (dataset.id < 0) throw LoadError(path, "HDF5 file has no dataset \"image\" (not an NYU heatmap)");
  Handle space{H5Dget_space(dataset.id), H5Sclose};
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(space.id) != 2 || H5Sget_simple_extent_dims(space.id, dims, nullptr) < 0) {
    throw LoadError(path, "dataset \"image\" is not two-dimensional");
  }
  if (dims[0] == 0 || dims[1] == 0 || dims[0] > 65535 || dims[1] > 65535)
    throw LoadError(path, "implausible heatmap size");
  std::vector<float> onDisk(dims[0] * dims[1]);
  if (H5Dread(dataset.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, onDisk.data()) < 0) {
    const bool lzf = H5Zfilter_avail(kLzfFilter) <= 0;
    throw LoadError(path, lzf ? "cannot decode: LZF filter missing (install Debian's hdf5-plugin-lzf)"
                              : "cannot read dataset \"image\"");
  }
  // On disk: columns x rows (the reference transposes). Pixel (y, x) = element x * rows + y.
  const int columns = static_cast<int>(dims[0]), rows = static_cast<int>(dims[1]);
  std::vector<float> values(onDisk.size());
  for (int x = 0; x < columns; ++x) {
    for (int y = 0; y < rows; ++y)
      values[static_cast<size_t>(y) * columns + x] = onDisk[static_cast<size_t>(x) * rows + y];
  }
  return HeatmapData(rows, columns, std::move(values));
}

void writeNyuHeatmap(const std::filesystem::path& path, const HeatmapData& h) {
  initialiseHdf5();
  if (h.empty()) throw std::invalid_argument(path.string() + ": no heatmap to write");
  const int rows = h.rows(), columns = h.columns();
  std::vector<float> onDisk(h.size());
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < columns; ++x) onDisk[static_cast<size_t>(x) * rows + y] = h.at(y, x);
  }
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    Handle file{H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose};
    if (file.id < 0) throw std::runtime_error(path.string() + ": cannot create HDF5 file");
    const hsize_t dims[2] = {static_cast<hsize_t>(columns), static_cast<hsize_t>(rows)};
    Handle space{H5Screate_simple(2, dims, nullptr), H5Sclose};
    Handle properties{H5Pcreate(H5P_DATASET_CREATE), H5Pclose};
    const hsize_t chunk[2] = {std::min<hsize_t>(dims[0], 128), std::min<hsize_t>(dims[1], 128)};
    H5Pset_chunk(properties.id, 2, chunk);
    if (H5Zfilter_avail(kLzfFilter) > 0)
      H5Pset_filter(properties.id, kLzfFilter, H5Z_FLAG_OPTIONAL, 0, nullptr);
    else
      H5Pset_deflate(properties.id, 4);
    Handle dataset{H5Dcreate2(file.id, "image", H5T_IEEE_F32LE, space.id, H5P_DEFAULT, properties.id, H5P_DEFAULT),
                   H5Dclose};
    if (dataset.id < 0 || H5Dwrite(dataset.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, onDisk.data()) < 0) {
      throw std::runtime_error(path.string() + ": cannot write HDF5 dataset");
    }
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace mammo::core
