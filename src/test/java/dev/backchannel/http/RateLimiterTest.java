package dev.backchannel.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void acceptsUpToTheLimitThenRefusesWithTheTimeUntilASlotFrees() {
    RateLimiter limiter = new RateLimiter("test", 3, 60, clock);
    assertThat(limiter.acquire("a").remaining()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.acquire("a").remaining()).isEqualTo(1);
    assertThat(limiter.acquire("a").remaining()).isZero();

    RateLimiter.Decision refused = limiter.acquire("a");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(50);
    assertThat(refused.limit()).isEqualTo(3);
    assertThat(refused.limiter()).isEqualTo("test");
  }

  @Test
  void theWindowSlides() {
    RateLimiter limiter = new RateLimiter("test", 2, 60, clock);
    limiter.acquire("a");
    clock.advance(Duration.ofSeconds(30));
    limiter.acquire("a");
    assertThat(limiter.acquire("a").allowed()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.acquire("a").allowed()).isTrue();
    assertThat(limiter.acquire("a").allowed()).isFalse();
  }

  @Test
  void refusedCallsAreNotCounted() {
    RateLimiter limiter = new RateLimiter("test", 1, 60, clock);
    limiter.acquire("a");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(limiter.acquire("a").allowed()).isFalse();
    }
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.acquire("a").allowed()).isTrue();
  }

  @Test
  void bucketsAreIndependent() {
    RateLimiter limiter = new RateLimiter("test", 1, 60, clock);
    assertThat(limiter.acquire("a").allowed()).isTrue();
    assertThat(limiter.acquire("b").allowed()).isTrue();
    assertThat(limiter.acquire("a").allowed()).isFalse();
  }

  @Test
  void aLimitOfZeroDisablesIt() {
    RateLimiter limiter = new RateLimiter("test", 0, 60, clock);
    assertThat(limiter.enabled()).isFalse();
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.acquire("a").allowed()).isTrue();
    }
  }

  @Test
  void retryAfterIsAtLeastOneSecond() {
    RateLimiter limiter = new RateLimiter("test", 1, 60, clock);
    limiter.acquire("a");
    clock.advance(Duration.ofMillis(59_999));
    assertThat(limiter.acquire("a").retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void manyIdleBucketsAreEvictedWithoutLosingLiveOnes() {
    RateLimiter limiter = new RateLimiter("test", 1, 60, clock);
    limiter.acquire("live");
    for (int i = 0; i < 10_001; i++) {
      limiter.acquire("idle-" + i);
    }
    clock.advance(Duration.ofSeconds(61));
    limiter.acquire("live");
    limiter.acquire("trigger");
    assertThat(limiter.acquire("live").allowed()).isFalse();
  }
}
