#include "viewer/LabelLayer.h"

#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkImageProperty.h>
#include <vtkNew.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <algorithm>
#include <vector>

namespace mammo::viewer {

namespace {
// Above the image (0) and the heatmaps (0.5); outlines above filled layers. The camera looks down -z.
constexpr double kFilledZ = 0.7;
constexpr double kOutlineZ = 0.8;
}  // namespace

struct LabelLayer::Impl {
  struct Tile {
    vtkNew<vtkImageActor> actor;
    vtkNew<vtkImageData> data;
    annotation::PixelRect rect;
    bool allocated = false;
    bool hasLabels = false;
  };

  Style style;
  std::array<Rgba, 256> colours{};
  vtkSmartPointer<vtkRenderer> renderer;
  std::vector<std::unique_ptr<Tile>> tiles;
  int tilesAcross = 0;
  int rows = 0, columns = 0;
  ViewTransform transform;
  bool visible = true;
  std::size_t updates = 0;

  std::vector<std::uint8_t> rowColours;  // one tile row in stored order

  bool isOutline(const core::LabelMap& map, int r, int c, std::uint8_t label) const {
    if (r == 0 || c == 0 || r == rows - 1 || c == columns - 1) return true;
    return map.at(r - 1, c) != label || map.at(r + 1, c) != label || map.at(r, c - 1) != label ||
           map.at(r, c + 1) != label;
  }

  void colour(Tile& t, const core::LabelMap& map) {
    ++updates;
    const annotation::PixelRect& q = t.rect;
    bool any = false;
    for (int r = q.row0; r < q.row1 && !any; ++r) {
      const std::uint8_t* row = map.labels.data() + static_cast<size_t>(r) * columns;
      any = std::any_of(row + q.col0, row + q.col1, [](std::uint8_t v) { return v != 0; });
    }
    t.hasLabels = any;
    if (!any) {
      t.actor->SetVisibility(false);
      return;
    }
    const int w = q.columns(), h = q.rows();
    if (!t.allocated) {
      t.data->SetDimensions(w, h, 1);
      t.data->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
      t.allocated = true;
    }
    auto* dst = static_cast<std::uint8_t*>(t.data->GetScalarPointer());
    for (int r = q.row0; r < q.row1; ++r) {
      // Data row 0 is the bottom of the tile (world y up), its columns in world order.
      rowColours.resize(static_cast<size_t>(w) * 4);
      for (int c = q.col0; c < q.col1; ++c) {
        const std::uint8_t label = map.at(r, c);
        Rgba px{0, 0, 0, 0};
        if (label != 0 && (style == Style::Filled || isOutline(map, r, c, label))) px = colours[label];
        std::copy(px.begin(), px.end(), rowColours.begin() + 4 * (c - q.col0));
      }
      transform.copyRowToWorld(rowColours.data(), dst + static_cast<size_t>(q.row1 - 1 - r) * w * 4, w, 4);
    }
    t.data->Modified();
    t.actor->SetVisibility(visible);
  }
};

LabelLayer::LabelLayer(Style style) : m_impl(std::make_unique<Impl>()) { m_impl->style = style; }

LabelLayer::~LabelLayer() { detach(); }

void LabelLayer::setColour(std::uint8_t label, Rgba colour) { m_impl->colours[label] = colour; }
Rgba LabelLayer::colour(std::uint8_t label) const { return m_impl->colours[label]; }
LabelLayer::Style LabelLayer::style() const { return m_impl->style; }

void LabelLayer::attach(vtkRenderer* renderer, const ViewTransform& transform) {
  detach();
  Impl& d = *m_impl;
  const int rows = transform.rows(), columns = transform.columns();
  d.renderer = renderer;
  d.rows = rows;
  d.columns = columns;
  d.transform = transform;
  d.updates = 0;
  d.tilesAcross = (columns + kTileSize - 1) / kTileSize;
  const int tilesDown = (rows + kTileSize - 1) / kTileSize;
  const double z = d.style == Style::Outline ? kOutlineZ : kFilledZ;
  for (int ty = 0; ty < tilesDown; ++ty) {
    for (int tx = 0; tx < d.tilesAcross; ++tx) {
      auto t = std::make_unique<Impl::Tile>();
      t->rect = annotation::PixelRect{ty * kTileSize, tx * kTileSize, std::min(rows, (ty + 1) * kTileSize),
                                      std::min(columns, (tx + 1) * kTileSize)};
      t->actor->GetMapper()->SetInputData(t->data);
      // A half-pixel border makes neighbouring tiles meet without a seam.
      t->actor->GetMapper()->BorderOn();
      t->actor->GetProperty()->SetInterpolationTypeToNearest();
      // World x of the tile's data column 0 (its left edge on screen) and y of its bottom row.
      t->actor->SetPosition(transform.worldLeft(t->rect.col0, t->rect.col1), transform.worldBottom(t->rect.row1), z);
      t->actor->SetVisibility(false);
      renderer->AddActor(t->actor);
      d.tiles.push_back(std::move(t));
    }
  }
}

void LabelLayer::detach() {
  Impl& d = *m_impl;
  if (d.renderer) {
    for (auto& t : d.tiles) d.renderer->RemoveActor(t->actor);
  }
  d.renderer = nullptr;
  d.tiles.clear();
  d.rows = d.columns = 0;
}

bool LabelLayer::attached() const { return m_impl->renderer != nullptr; }

void LabelLayer::update(const core::LabelMap& map, const annotation::PixelRect& rect) {
  Impl& d = *m_impl;
  if (!d.renderer || map.rows != d.rows || map.columns != d.columns) return;
  annotation::PixelRect r = rect;
  if (d.style == Style::Outline) r = {r.row0 - 1, r.col0 - 1, r.row1 + 1, r.col1 + 1};
  r = r.clippedTo(d.rows, d.columns);
  if (r.empty()) return;
  for (int ty = r.row0 / kTileSize; ty <= (r.row1 - 1) / kTileSize; ++ty) {
    for (int tx = r.col0 / kTileSize; tx <= (r.col1 - 1) / kTileSize; ++tx) {
      d.colour(*d.tiles[static_cast<size_t>(ty) * d.tilesAcross + tx], map);
    }
  }
}

void LabelLayer::updateAll(const core::LabelMap& map) { update(map, annotation::PixelRect::whole(map)); }

void LabelLayer::setVisible(bool visible) {
  m_impl->visible = visible;
  for (auto& t : m_impl->tiles) t->actor->SetVisibility(visible && t->hasLabels);
}

bool LabelLayer::visible() const { return m_impl->visible; }
std::size_t LabelLayer::tileUpdates() const { return m_impl->updates; }

int LabelLayer::nonEmptyTiles() const {
  return static_cast<int>(
      std::count_if(m_impl->tiles.begin(), m_impl->tiles.end(), [](const auto& t) { return t->hasLabels; }));
}

}  // namespace mammo::viewer
