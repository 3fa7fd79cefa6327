package io.captioner.examples.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureDType;
import org.junit.jupiter.api.Test;

/** Runs with other encoder outputs or storage keep their own cache directory. */
class Flickr8kRecipeCacheNameTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef";

    @Test
    void pooledFloat32VectorsKeepTheFirstVersionsName() {
        assertThat(Flickr8kRecipe.cacheName(new CacheKey("resnet50", 2048, SHA, "p")))
                .isEqualTo("resnet50-0123456789ab");
    }

    @Test
    void spatialMapsAddTheirShapePoolingAndStorage() {
        assertThat(Flickr8kRecipe.cacheName(new CacheKey("resnet50", new int[] {7, 7, 2048}, FeatureDType.FLOAT32, 0,
                SHA, "p"))).isEqualTo("resnet50-0123456789ab-7x7x2048");
        assertThat(Flickr8kRecipe.cacheName(new CacheKey("resnet50", new int[] {14, 14, 2048}, FeatureDType.FLOAT16,
                14, SHA, "p"))).isEqualTo("resnet50-0123456789ab-14x14x2048-pooled-fp16");
        assertThat(Flickr8kRecipe.cacheName(new CacheKey("vgg16", new int[] {4096}, FeatureDType.FLOAT16, 0, SHA,
                "p"))).isEqualTo("vgg16-0123456789ab-fp16");
    }
}
