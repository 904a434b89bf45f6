# Every third-party dependency, found once. All come from Debian 12 packages (scripts/deps).
find_package(PkgConfig REQUIRED)
find_package(DCMTK REQUIRED CONFIG)
find_package(GDCM REQUIRED CONFIG)
find_package(PNG REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Eigen3 REQUIRED NO_MODULE)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED CONFIG)
find_package(Threads REQUIRED)

if(MAMMO_WITH_TORCH)
  find_package(Torch REQUIRED)
endif()

if(MAMMO_WITH_GUI)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets OpenGL OpenGLWidgets Concurrent Test)
  # Debian's VTK::mpi link interface names MPI::MPI_C (../shared/docs/QT6-VTK.md).
  find_package(MPI COMPONENTS C)
  # Never GUISupportQt: Debian builds it against Qt 5.
  find_package(VTK REQUIRED COMPONENTS CommonCore CommonDataModel ImagingCore RenderingCore
               RenderingOpenGL2 RenderingImage InteractionStyle IOImage)
endif()

if(MAMMO_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(MAMMO_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
