/* CImage: PNG (libpng 1.6, libpng-dev) and JPEG (libjpeg-turbo, libjpeg62-turbo-dev) decoding for
 * lyra.data.ImageFolder. Neither library's header is included here, so nothing leaks into Swift.
 *
 * Why a C shim: both libraries report errors by longjmp. libpng's simplified API (png_image_*) keeps
 * its setjmp inside libpng; the libjpeg error handler here longjmps to a setjmp in the same C
 * function that called libjpeg. No longjmp ever crosses a Swift frame: every function below returns
 * normally with a status and, on failure, a message. */
#ifndef LYRA_CIMAGE_H
#define LYRA_CIMAGE_H
#include <stddef.h>

/* A decoded image: height x width x channels bytes, row-major HWC, allocated with malloc. */
typedef struct {
  unsigned char *pixels;
  int width, height, channels;
  char message[200];
} lyra_image;

/* Decode PNG / JPEG bytes into `channels` (1 grey or 3 RGB) 8-bit channels. Refuses (before
 * allocating) any image whose width * height * channels exceeds max_bytes. Return 0 on success;
 * otherwise out->pixels is NULL and out->message says why. Free a success with lyra_image_free. */
int lyra_png_decode(const unsigned char *data, size_t size, int channels, size_t max_bytes, lyra_image *out);
int lyra_jpeg_decode(const unsigned char *data, size_t size, int channels, size_t max_bytes, lyra_image *out);
void lyra_image_free(lyra_image *image);

/* Encoders for tests (they write the files the decoders read). On success return 0 and set *out (free
 * with lyra_bytes_free) and *out_size; otherwise fill message (200 bytes). */
int lyra_png_encode(const unsigned char *pixels, int width, int height, int channels,
                    unsigned char **out, size_t *out_size, char *message);
int lyra_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                     unsigned char **out, size_t *out_size, char *message);
void lyra_bytes_free(unsigned char *bytes);
#endif
