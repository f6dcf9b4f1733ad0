#include "CImage.h"
#include <png.h>
#include <stdio.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static void set_message(char *dst, const char *text) {
  snprintf(dst, 200, "%s", text);
}

void lyra_image_free(lyra_image *image) {
  free(image->pixels);
  image->pixels = NULL;
}

void lyra_bytes_free(unsigned char *bytes) { free(bytes); }

/* A zeroed buffer for width * height * channels bytes, or NULL with out->message set when that
 * overflows, passes max_bytes (checked before allocating: a tiny file can declare 65535 x 65535
 * pixels) or memory runs out. */
static unsigned char *allocate(lyra_image *out, size_t width, size_t height, size_t channels, size_t max_bytes) {
  if (width == 0 || height == 0) {
    snprintf(out->message, sizeof out->message, "declares an empty image (%zu x %zu pixels)", width, height);
    return NULL;
  }
  if (width > max_bytes / height || width * height > max_bytes / channels) {
    snprintf(out->message, sizeof out->message,
             "declares %zu x %zu pixels, more than the %zu-byte limit for one decoded image", width, height, max_bytes);
    return NULL;
  }
  unsigned char *pixels = calloc(width * height * channels, 1);
  if (!pixels) set_message(out->message, "out of memory for the decoded image");
  return pixels;
}

static int succeed(lyra_image *out, unsigned char *pixels, unsigned long w, unsigned long h, int channels) {
  out->pixels = pixels;
  out->width = (int)w;
  out->height = (int)h;
  out->channels = channels;
  return 0;
}

/* PNG through libpng's simplified API: it converts every bit depth, palette and alpha layout to 8-bit
 * grey or RGB (alpha composited onto black, since the buffer starts zeroed), and catches libpng's
 * errors itself (png_safe_execute), leaving them in image.message. */
int lyra_png_decode(const unsigned char *data, size_t size, int channels, size_t max_bytes, lyra_image *out) {
  memset(out, 0, sizeof *out);
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data, size)) {
    set_message(out->message, image.message);
    png_image_free(&image);
    return 1;
  }
  /* 16-bit files: the simplified API takes their values as linear light and would gamma-encode
   * them on the way to 8 bits (a grey of 10 * 257 would read 58); read them as 16-bit instead and
   * scale to 8 bits here, v * 255 / 65535 rounded, which is what 8-bit viewers and PIL show. */
  int sixteen = (image.format & PNG_FORMAT_FLAG_LINEAR) != 0;
  image.format = (channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB) | (sixteen ? PNG_FORMAT_FLAG_LINEAR : 0);
  unsigned char *pixels = allocate(out, image.width, image.height, (size_t)channels * (sixteen ? 2 : 1), max_bytes);
  if (!pixels) {
    png_image_free(&image);
    return 1;
  }
  if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
    set_message(out->message, image.message);
    png_image_free(&image);
    free(pixels);
    return 1;
  }
  if (sixteen) {
    size_t n = (size_t)image.width * image.height * (size_t)channels;
    const png_uint_16 *wide = (const png_uint_16 *)pixels;
    for (size_t i = 0; i < n; i++) pixels[i] = (unsigned char)(((unsigned long)wide[i] * 255 + 32767) / 65535);
  }
  return succeed(out, pixels, image.width, image.height, channels);
}

/* libjpeg's error manager extended with the jump target; error_exit longjmps back into the function
 * that set it (never further), and warnings (corrupt or truncated data, which libjpeg would patch
 * over with grey) are kept so the caller can refuse the image. */
typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char first_warning[JMSG_LENGTH_MAX];
} lyra_jpeg_error;

static void lyra_jpeg_error_exit(j_common_ptr cinfo) {
  lyra_jpeg_error *err = (lyra_jpeg_error *)cinfo->err;
  longjmp(err->jump, 1);
}

static void lyra_jpeg_emit_message(j_common_ptr cinfo, int level) {
  lyra_jpeg_error *err = (lyra_jpeg_error *)cinfo->err;
  if (level < 0) {
    if (err->pub.num_warnings == 0) (*cinfo->err->format_message)(cinfo, err->first_warning);
    err->pub.num_warnings++;
  }
}

static void jpeg_message(j_common_ptr cinfo, char *dst) {
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  set_message(dst, text);
}

int lyra_jpeg_decode(const unsigned char *data, size_t size, int channels, size_t max_bytes, lyra_image *out) {
  memset(out, 0, sizeof *out);
  struct jpeg_decompress_struct cinfo;
  lyra_jpeg_error err;
  /* Written between setjmp and longjmp, so volatile (C11 7.13.2.1). */
  unsigned char *volatile pixels = NULL;
  memset(&err, 0, sizeof err);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = lyra_jpeg_error_exit;
  err.pub.emit_message = lyra_jpeg_emit_message;
  if (setjmp(err.jump)) {
    jpeg_message((j_common_ptr)&cinfo, out->message);
    jpeg_destroy_decompress(&cinfo);
    free(pixels);
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  pixels = allocate(out, cinfo.image_width, cinfo.image_height, (size_t)channels, max_bytes);
  if (!pixels) {
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != channels || cinfo.output_width != cinfo.image_width || cinfo.output_height != cinfo.image_height) {
    snprintf(out->message, sizeof out->message, "libjpeg gave %d channels of %u x %u, expected %d of %u x %u",
             cinfo.output_components, cinfo.output_width, cinfo.output_height, channels, cinfo.image_width, cinfo.image_height);
    jpeg_destroy_decompress(&cinfo);
    free(pixels);
    return 1;
  }
  size_t row = (size_t)cinfo.output_width * (size_t)channels;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW r = pixels + (size_t)cinfo.output_scanline * row;
    jpeg_read_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_decompress(&cinfo);
  if (err.pub.num_warnings > 0) {
    snprintf(out->message, sizeof out->message, "corrupt or truncated JPEG data (%s)", err.first_warning);
    jpeg_destroy_decompress(&cinfo);
    free(pixels);
    return 1;
  }
  unsigned long width = cinfo.output_width, height = cinfo.output_height;
  jpeg_destroy_decompress(&cinfo);
  return succeed(out, pixels, width, height, channels);
}

int lyra_png_encode(const unsigned char *pixels, int width, int height, int channels,
                    unsigned char **out, size_t *out_size, char *message) {
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)width;
  image.height = (png_uint_32)height;
  image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels, 0, NULL)) {
    set_message(message, image.message);
    return 1;
  }
  unsigned char *buffer = malloc(size);
  if (!buffer) { set_message(message, "out of memory"); return 1; }
  if (!png_image_write_to_memory(&image, buffer, &size, 0, pixels, 0, NULL)) {
    set_message(message, image.message);
    free(buffer);
    return 1;
  }
  *out = buffer;
  *out_size = size;
  return 0;
}

int lyra_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                     unsigned char **out, size_t *out_size, char *message) {
  struct jpeg_compress_struct cinfo;
  lyra_jpeg_error err;
  unsigned char *volatile buffer = NULL;
  unsigned long size = 0;
  memset(&err, 0, sizeof err);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = lyra_jpeg_error_exit;
  if (setjmp(err.jump)) {
    jpeg_message((j_common_ptr)&cinfo, message);
    jpeg_destroy_compress(&cinfo);
    free(buffer);
    return 1;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, &size);
  cinfo.image_width = (JDIMENSION)width;
  cinfo.image_height = (JDIMENSION)height;
  cinfo.input_components = channels;
  cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  size_t row = (size_t)width * (size_t)channels;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW r = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row);
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  *out = buffer;
  *out_size = size;
  return 0;
}
