#pragma once
// Undo/redo for label-map edits, unbounded in count but bounded in memory: each operation is recorded
// as the tiles (kTileSize x kTileSize pixels) it actually changed, before and after bytes together,
// zlib-compressed, never as a whole mask. When the recorded total passes the memory cap the oldest
// entries are dropped. Not thread-safe: use from the thread that edits the map (the GUI thread).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "annotation/Operation.h"

namespace mammo::annotation {

class EditHistory {
 public:
  static constexpr int kTileSize = 64;
  static constexpr std::size_t kDefaultMemoryCap = 64u << 20;  // 64 MiB of recorded tiles

  explicit EditHistory(std::size_t memoryCapBytes = kDefaultMemoryCap);

  // Applies `op` to `map` and records what changed; discards the redo branch. Returns the number of
  // pixels whose label changed (an operation that changes nothing is not recorded).
  std::size_t apply(core::LabelMap& map, const Operation& op);
  // Restore the map to before the latest recorded operation / re-apply the latest undone one. Return
  // false when there is nothing to undo / redo. Throw std::invalid_argument when `map` is not the size
  // the entry was recorded on.
  bool undo(core::LabelMap& map);
  bool redo(core::LabelMap& map);

  bool canUndo() const { return !m_undo.empty(); }
  bool canRedo() const { return !m_redo.empty(); }
  std::size_t undoCount() const { return m_undo.size(); }
  std::size_t redoCount() const { return m_redo.size(); }
  std::size_t droppedCount() const { return m_dropped; }  // entries forgotten to stay under the cap
  // Bytes held by recorded entries (payloads plus bookkeeping), undo and redo together.
  std::size_t memoryBytes() const { return m_bytes; }
  std::size_t memoryCap() const { return m_cap; }
  void clear();

 private:
  struct Tile {
    int row0 = 0, col0 = 0, rows = 0, columns = 0;
    std::uint32_t rawSize = 0;  // rows*columns*2: before bytes then after bytes
    bool compressed = false;
    std::vector<std::uint8_t> data;  // zlib stream of before+after, or the raw bytes when that is smaller
  };
  struct Entry {
    int mapRows = 0, mapColumns = 0;
    std::vector<Tile> tiles;
    std::size_t bytes = 0;
  };

  static Tile makeTile(const PixelRect& rect, const std::uint8_t* before, const std::uint8_t* after);
  static void restore(core::LabelMap& map, const Entry& entry, bool after);
  void push(std::deque<Entry>& stack, Entry entry);
  void enforceCap();

  std::size_t m_cap;
  std::size_t m_bytes = 0;
  std::size_t m_dropped = 0;
  std::deque<Entry> m_undo;  // back = latest
  std::deque<Entry> m_redo;  // back = next to redo
};

}  // namespace mammo::annotation
