#include "annotation/EditHistory.h"

#include <zlib.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace mammo::annotation {
namespace {

std::size_t entryBytes(const std::vector<std::uint8_t>& data) { return data.capacity(); }

std::string sizeText(int rows, int columns) { return std::to_string(rows) + "x" + std::to_string(columns); }

}  // namespace

EditHistory::EditHistory(std::size_t memoryCapBytes) : m_cap(memoryCapBytes) {}

EditHistory::Tile EditHistory::makeTile(const PixelRect& rect, const std::uint8_t* before, const std::uint8_t* after) {
  Tile tile;
  tile.row0 = rect.row0;
  tile.col0 = rect.col0;
  tile.rows = rect.rows();
  tile.columns = rect.columns();
  const size_t n = static_cast<size_t>(tile.rows) * tile.columns;
  tile.rawSize = static_cast<std::uint32_t>(2 * n);
  std::vector<std::uint8_t> raw(2 * n);
  std::memcpy(raw.data(), before, n);
  std::memcpy(raw.data() + n, after, n);
  // Level 1: masks are long runs of equal bytes, so the fastest level already shrinks a tile ~20-50x and
  // keeps recording a stroke well under a millisecond.
  uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> packed(packedSize);
  if (compress2(packed.data(), &packedSize, raw.data(), static_cast<uLong>(raw.size()), 1) == Z_OK &&
      packedSize < raw.size()) {
    packed.resize(packedSize);
    packed.shrink_to_fit();
    tile.data = std::move(packed);
    tile.compressed = true;
  } else {
    tile.data = std::move(raw);
  }
  return tile;
}

std::size_t EditHistory::apply(core::LabelMap& map, const Operation& op) {
  const PixelRect box = op.bounds(map).clippedTo(map.rows, map.columns);
  if (box.empty()) return 0;
  // Snapshot the tiles the operation may touch (temporary), apply, then keep only tiles that differ.
  const int tr0 = box.row0 / kTileSize, tr1 = (box.row1 + kTileSize - 1) / kTileSize;
  const int tc0 = box.col0 / kTileSize, tc1 = (box.col1 + kTileSize - 1) / kTileSize;
  const PixelRect snap =
      PixelRect{tr0 * kTileSize, tc0 * kTileSize, tr1 * kTileSize, tc1 * kTileSize}.clippedTo(map.rows, map.columns);
  std::vector<std::uint8_t> before(static_cast<size_t>(snap.rows()) * snap.columns());
  for (int r = snap.row0; r < snap.row1; ++r) {
    std::memcpy(&before[static_cast<size_t>(r - snap.row0) * snap.columns()], &map.at(r, snap.col0), snap.columns());
  }
  op.apply(map);

  Entry entry;
  entry.mapRows = map.rows;
  entry.mapColumns = map.columns;
  std::size_t changedPixels = 0;
  std::vector<std::uint8_t> tileBefore, tileAfter;
  for (int tr = tr0; tr < tr1; ++tr) {
    for (int tc = tc0; tc < tc1; ++tc) {
      const PixelRect t =
          PixelRect{tr * kTileSize, tc * kTileSize, (tr + 1) * kTileSize, (tc + 1) * kTileSize}.clippedTo(map.rows,
                                                                                                          map.columns);
      tileBefore.resize(static_cast<size_t>(t.rows()) * t.columns());
      tileAfter.resize(tileBefore.size());
      std::size_t changed = 0;
      for (int r = t.row0; r < t.row1; ++r) {
        const std::uint8_t* old = &before[static_cast<size_t>(r - snap.row0) * snap.columns() + (t.col0 - snap.col0)];
        const std::uint8_t* now = &map.at(r, t.col0);
        const size_t at = static_cast<size_t>(r - t.row0) * t.columns();
        std::memcpy(&tileBefore[at], old, t.columns());
        std::memcpy(&tileAfter[at], now, t.columns());
        for (int c = 0; c < t.columns(); ++c) changed += old[c] != now[c];
      }
      if (changed == 0) continue;
      changedPixels += changed;
      entry.tiles.push_back(makeTile(t, tileBefore.data(), tileAfter.data()));
    }
  }
  if (entry.tiles.empty()) return 0;
  for (auto& stackEntry : m_redo) m_bytes -= stackEntry.bytes;
  m_redo.clear();
  push(m_undo, std::move(entry));
  enforceCap();
  return changedPixels;
}

void EditHistory::push(std::deque<Entry>& stack, Entry entry) {
  if (entry.bytes == 0) {
    entry.bytes = sizeof(Entry) + entry.tiles.capacity() * sizeof(Tile);
    for (const Tile& t : entry.tiles) entry.bytes += entryBytes(t.data);
  }
  m_bytes += entry.bytes;
  stack.push_back(std::move(entry));
}

void EditHistory::enforceCap() {
  // The redo branch goes first (it is the least likely to be wanted), then the oldest undo entries.
  while (m_bytes > m_cap && !m_redo.empty()) {
    m_bytes -= m_redo.front().bytes;
    m_redo.pop_front();
    ++m_dropped;
  }
  while (m_bytes > m_cap && !m_undo.empty()) {
    m_bytes -= m_undo.front().bytes;
    m_undo.pop_front();
    ++m_dropped;
  }
}

void EditHistory::restore(core::LabelMap& map, const Entry& entry, bool after) {
  if (map.rows != entry.mapRows || map.columns != entry.mapColumns) {
    throw std::invalid_argument("undo/redo: label map is " + sizeText(map.rows, map.columns) +
                                " but the history was recorded on " + sizeText(entry.mapRows, entry.mapColumns));
  }
  std::vector<std::uint8_t> raw;
  for (const Tile& t : entry.tiles) {
    raw.resize(t.rawSize);
    if (t.compressed) {
      uLongf size = t.rawSize;
      if (uncompress(raw.data(), &size, t.data.data(), static_cast<uLong>(t.data.size())) != Z_OK ||
          size != t.rawSize) {
        throw std::runtime_error("undo/redo: a recorded tile is corrupt (zlib)");
      }
    } else {
      std::memcpy(raw.data(), t.data.data(), t.rawSize);
    }
    const std::uint8_t* src = raw.data() + (after ? t.rawSize / 2 : 0);
    for (int r = 0; r < t.rows; ++r) {
      std::memcpy(&map.at(t.row0 + r, t.col0), src + static_cast<size_t>(r) * t.columns, t.columns);
    }
  }
}

bool EditHistory::undo(core::LabelMap& map) {
  if (m_undo.empty()) return false;
  restore(map, m_undo.back(), false);
  m_redo.push_back(std::move(m_undo.back()));
  m_undo.pop_back();
  return true;
}

bool EditHistory::redo(core::LabelMap& map) {
  if (m_redo.empty()) return false;
  restore(map, m_redo.back(), true);
  m_undo.push_back(std::move(m_redo.back()));
  m_redo.pop_back();
  return true;
}

void EditHistory::clear() {
  m_undo.clear();
  m_redo.clear();
  m_bytes = 0;
}

}  // namespace mammo::annotation
