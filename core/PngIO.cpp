#include "core/PngIO.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "core/Errors.h"

namespace mammo::core {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct ErrorSink {
  char message[256] = {};
};

void onPngError(png_structp png, png_const_charp msg) {
  auto* sink = static_cast<ErrorSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, sizeof sink->message, "%s", msg);
  png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}

// Plain C-style body: nothing with a destructor lives in this frame, so longjmp is safe.
bool readPngBody(std::FILE* file, PngPixels* out, ErrorSink* sink) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, sink, onPngError, onPngWarning);
  if (!png) {
    std::snprintf(sink->message, sizeof sink->message, "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return false;
  }
  png_init_io(png, file);
  png_set_user_limits(png, 65535, 65535);
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  const int depth = png_get_bit_depth(png, info);
  const int colour = png_get_color_type(png, info);
  if (colour != PNG_COLOR_TYPE_GRAY) {
    std::snprintf(sink->message, sizeof sink->message,
                  "not a greyscale PNG (colour type %d); mammograms must be single-channel", colour);
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  if (depth != 8 && depth != 16) {
    std::snprintf(sink->message, sizeof sink->message, "unsupported bit depth %d (8 or 16 expected)", depth);
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_color_8p sbit = nullptr;
  out->significantBits = depth;
  if (png_get_sBIT(png, info, &sbit) && sbit) out->significantBits = sbit->gray;
  if (depth == 16) png_set_swap(png);  // PNG is big-endian; we want host order. No png_set_shift.
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  out->rows = static_cast<int>(height);
  out->columns = static_cast<int>(width);
  out->bitDepth = depth;
  out->pixels.resize(static_cast<size_t>(width) * height);
  const size_t rowBytes = png_get_rowbytes(png, info);
  std::vector<png_byte>* volatile scratch = new std::vector<png_byte>(rowBytes * height);
  std::vector<png_bytep>* volatile rowPtrs = new std::vector<png_bytep>(height);
  for (png_uint_32 r = 0; r < height; ++r) (*rowPtrs)[r] = scratch->data() + r * rowBytes;
  if (setjmp(png_jmpbuf(png))) {
    delete scratch;
    delete rowPtrs;
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_read_image(png, rowPtrs->data());
  png_read_end(png, nullptr);
  for (png_uint_32 r = 0; r < height; ++r) {
    const png_byte* src = (*rowPtrs)[r];
    std::uint16_t* dst = out->pixels.data() + static_cast<size_t>(r) * width;
    if (depth == 16) {
      std::memcpy(dst, src, width * 2);
    } else {
      for (png_uint_32 c = 0; c < width; ++c) dst[c] = src[c];
    }
  }
  delete scratch;
  delete rowPtrs;
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

PngPixels readPng(const std::filesystem::path& path) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) throw LoadError(path, std::string("cannot open: ") + std::strerror(errno));
  unsigned char signature[8] = {};
  if (std::fread(signature, 1, 8, file.get()) != 8 || png_sig_cmp(signature, 0, 8) != 0) {
    throw LoadError(path, "not a PNG file (bad signature)");
  }
  std::rewind(file.get());
  PngPixels out;
  ErrorSink sink;
  if (!readPngBody(file.get(), &out, &sink)) {
    std::string reason = sink.message[0] ? sink.message : "corrupt PNG";
    if (std::feof(file.get())) reason = "truncated PNG (" + reason + ")";
    throw LoadError(path, "cannot decode PNG: " + reason);
  }
  return out;
}

namespace {
bool writePngBody(std::FILE* file, int rows, int columns, const std::uint16_t* pixels, int bitDepth,
                  int significantBits, ErrorSink* sink, std::vector<png_byte>* row) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, onPngError, onPngWarning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, columns, rows, bitDepth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, 3);
  if (significantBits > 0) {
    png_color_8 sbit{};
    sbit.gray = static_cast<png_byte>(significantBits);
    png_set_sBIT(png, info, &sbit);
  }
  png_write_info(png, info);
  row->resize(static_cast<size_t>(columns) * (bitDepth / 8));
  for (int r = 0; r < rows; ++r) {
    const std::uint16_t* src = pixels + static_cast<size_t>(r) * columns;
    if (bitDepth == 16) {
      for (int c = 0; c < columns; ++c) {
        (*row)[2 * c] = static_cast<png_byte>(src[c] >> 8);
        (*row)[2 * c + 1] = static_cast<png_byte>(src[c] & 0xff);
      }
    } else {
      for (int c = 0; c < columns; ++c) (*row)[c] = static_cast<png_byte>(src[c]);
    }
    png_write_row(png, row->data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}
}  // namespace

void writePng(const std::filesystem::path& path, int rows, int columns, const std::uint16_t* pixels, int bitDepth,
              int significantBits) {
  if (bitDepth != 8 && bitDepth != 16) throw std::invalid_argument("writePng: bit depth must be 8 or 16");
  if (bitDepth == 8) {
    for (size_t i = 0, n = static_cast<size_t>(rows) * columns; i < n; ++i) {
      if (pixels[i] > 255) throw std::invalid_argument(path.string() + ": value above 255 in an 8-bit PNG");
    }
  }
  const std::filesystem::path tmp = path.string() + ".tmp";
  ErrorSink sink;
  std::vector<png_byte> row;
  {
    FilePtr file(std::fopen(tmp.c_str(), "wb"));
    if (!file) throw std::runtime_error(path.string() + ": cannot write: " + std::strerror(errno));
    if (!writePngBody(file.get(), rows, columns, pixels, bitDepth, significantBits, &sink, &row)) {
      file.reset();
      std::filesystem::remove(tmp);
      throw std::runtime_error(path.string() + ": cannot encode PNG: " + sink.message);
    }
    if (std::fflush(file.get()) != 0) throw std::runtime_error(path.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace mammo::core
