# pipeline: list this folder's files here (see engine/CMakeLists.txt).
