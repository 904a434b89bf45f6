#pragma once
// A label map (annotation masks) drawn over a hung image in class colours, filled or as outlines. The map
// is cut into kTileSize x kTileSize tiles, one VTK image actor each, so an edit re-colours and re-uploads
// only the tiles it touched, and tiles without labels cost nothing to draw.
//
// Frames: rectangles and maps are in the stored image's pixel grid (row, col), the grid of core::LabelMap;
// actors are placed in ViewScene's world frame (one unit per pixel, mirrored like the image). The layer
// adds its actors to a renderer it is given and does not own the renderer's lifetime beyond a reference.
// GUI thread only (VTK).
#include <array>
#include <cstdint>
#include <memory>

#include "annotation/Operation.h"
#include "core/LabelMap.h"
#include "viewer/ViewTransform.h"

class vtkRenderer;

namespace mammo::viewer {

using Rgba = std::array<std::uint8_t, 4>;

class LabelLayer {
 public:
  enum class Style { Filled, Outline };
  static constexpr int kTileSize = 256;

  explicit LabelLayer(Style style = Style::Filled);
  ~LabelLayer();
  LabelLayer(const LabelLayer&) = delete;
  LabelLayer& operator=(const LabelLayer&) = delete;

  // Colour of a class id (alpha 0 = not drawn); background 0 is never drawn. Call updateAll() after.
  void setColour(std::uint8_t label, Rgba colour);
  Rgba colour(std::uint8_t label) const;
  Style style() const;

  // Shows the layer on `renderer` over a view (its transform: the image's size and mirroring). Detaches from
  // any earlier renderer; tiles start empty (call updateAll()).
  void attach(vtkRenderer* renderer, const ViewTransform& transform);
  void detach();
  bool attached() const;

  // Re-colours the tiles that intersect `rect` (outlines: grown by one pixel, since a pixel's outline
  // depends on its neighbours). `map` must be rows x columns; otherwise nothing happens.
  void update(const core::LabelMap& map, const annotation::PixelRect& rect);
  void updateAll(const core::LabelMap& map);
  void setVisible(bool visible);
  bool visible() const;

  // Tiles re-coloured (hence uploaded again) since attach(); tiles currently holding labels.
  std::size_t tileUpdates() const;
  int nonEmptyTiles() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::viewer
