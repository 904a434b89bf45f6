// The advisory edit lock: a second session sees the first one's lock, a dead owner's lock is taken over,
// release removes only our own lock, and force takes over a live one.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "TestSupport.h"
#include "annotation/EditLock.h"

using namespace mammo;
namespace fs = std::filesystem;

TEST(EditLock, SecondSessionSeesTheFirstAndReleaseFreesIt) {
  const fs::path folder = test::scratchDir() / "alice";
  annotation::EditLock first;
  EXPECT_FALSE(first.acquire(folder, "E1"));
  ASSERT_TRUE(first.held());
  EXPECT_TRUE(fs::exists(folder / "E1.lock"));

  annotation::EditLock second;
  const auto owner = second.acquire(folder, "E1");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->pid, static_cast<long>(getpid()));
  EXPECT_EQ(owner->host, annotation::EditLock::hostName());
  EXPECT_FALSE(second.held());
  EXPECT_FALSE(second.acquire(folder, "E2"));  // another exam is free

  first.release();
  EXPECT_FALSE(fs::exists(folder / "E1.lock"));
  EXPECT_FALSE(second.acquire(folder, "E1"));
  EXPECT_TRUE(second.held());
}

TEST(EditLock, DeadOwnersLockIsStaleAndTakenOver) {
  const fs::path folder = test::scratchDir();
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);  // the pid now names no process
  {
    std::ofstream out(folder / "E1.lock");
    out << annotation::EditLock::hostName() << "\n" << child << "\n2026-01-01T00:00:00.000Z\n";
  }
  annotation::EditLock lock;
  EXPECT_FALSE(lock.acquire(folder, "E1"));
  EXPECT_TRUE(lock.held());
  EXPECT_EQ(annotation::EditLock::readOwner(folder / "E1.lock")->pid, static_cast<long>(getpid()));
}

TEST(EditLock, ForeignHostLockIsLiveUntilOldAndForceTakesOver) {
  const fs::path folder = test::scratchDir();
  const fs::path file = folder / "E1.lock";
  {
    std::ofstream out(file);
    out << "another-host.example\n42\n2026-01-01T00:00:00.000Z\n";
  }
  annotation::EditLock lock;
  const auto owner = lock.acquire(folder, "E1");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->host, "another-host.example");
  EXPECT_NE(owner->describe().find("process 42 on host another-host.example"), std::string::npos);

  fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(13));
  EXPECT_TRUE(annotation::EditLock::isStale(*owner, file));
  EXPECT_FALSE(lock.acquire(folder, "E1"));
  lock.release();

  {
    std::ofstream out(file);
    out << "another-host.example\n42\n2026-01-01T00:00:00.000Z\n";
  }
  annotation::EditLock forced;
  EXPECT_TRUE(forced.acquire(folder, "E1", false));
  EXPECT_FALSE(forced.acquire(folder, "E1", true));
  EXPECT_TRUE(forced.held());
  // A session whose lock was taken over does not remove the new owner's file on release.
  annotation::EditLock old;
  old = std::move(forced);
  EXPECT_TRUE(old.held());
}
