#pragma once
// The 4-connected region walk shared by flood fill, lesion components and the crop's largest component:
// depth-first from a seed over a rows x columns raster (row-major indices), without recursion.
#include <cstddef>
#include <vector>

namespace mammo::core {

// Walks the region of `seed` (which the caller has already claimed): `visit(i)` for every pixel taken off
// the stack, and each of its up, down, left and right neighbours j inside the raster is pushed when
// `claim(j)` returns true (claim marks j as taken, so that it is pushed once). `stack` is scratch space
// the caller may reuse between walks.
template <class Claim, class Visit>
void walkRegion4(std::size_t seed, int rows, int columns, std::vector<std::size_t>& stack, Claim&& claim,
                 Visit&& visit) {
  const auto cols = static_cast<std::size_t>(columns);
  stack.assign(1, seed);
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    visit(i);
    const std::size_t r = i / cols, c = i % cols;
    if (r > 0 && claim(i - cols)) stack.push_back(i - cols);
    if (r + 1 < static_cast<std::size_t>(rows) && claim(i + cols)) stack.push_back(i + cols);
    if (c > 0 && claim(i - 1)) stack.push_back(i - 1);
    if (c + 1 < cols && claim(i + 1)) stack.push_back(i + 1);
  }
}

}  // namespace mammo::core
