//! The letterhead's logo: a PNG or JPEG of at most `MAX_BYTES`, decoded and written again as a
//! plain 8-bit PNG before it is kept, so what is stored and printed is always an image we made
//! (whatever else the upload carried, metadata or trailing bytes, is gone). An upload that does
//! not decode, or whose size in pixels is out of bounds, is refused before any large allocation.

use crate::auth::CurrentUser;
use crate::db::entities::company_logo;
use crate::error::{AppError, AppResult, Field, Problem};
use sea_orm::*;

/// The largest upload.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The largest side, in pixels.
pub const MAX_SIDE: u32 = 4000;
/// What decoding may allocate.
const MAX_DECODED: usize = 64 * 1024 * 1024;
/// The largest side kept: a larger image is scaled down (a letterhead prints it at most 170 × 46
/// points), so the stored logo and every PDF stay small.
pub const STORED_SIDE: u32 = 600;

fn not_an_image() -> AppError {
    AppError::invalid(Field::Logo, Problem::Invalid)
}

/// The upload as a plain PNG (8 bits a channel: grey, grey with alpha, RGB or RGBA).
pub fn normalize(bytes: &[u8]) -> AppResult<Vec<u8>> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::TooLarge);
    }
    let (width, height, color, pixels) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        decode_jpeg(bytes)?
    } else {
        return Err(not_an_image());
    };
    let channels = color.samples();
    if pixels.len() != width as usize * height as usize * channels {
        return Err(not_an_image());
    }
    let (width, height, pixels) = shrink(width, height, channels, pixels);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|_| AppError::Internal)?;
    writer.write_image_data(&pixels).map_err(|_| not_an_image())?;
    writer.finish().map_err(|_| AppError::Internal)?;
    Ok(out)
}

/// `pixels` scaled down by a whole factor until no side exceeds `STORED_SIDE`, each pixel the
/// mean of the block it stands for.
fn shrink(width: u32, height: u32, channels: usize, pixels: Vec<u8>) -> (u32, u32, Vec<u8>) {
    let factor = Ord::max(width, height).div_ceil(STORED_SIDE);
    if factor <= 1 {
        return (width, height, pixels);
    }
    let (w, h) = (width.div_ceil(factor), height.div_ceil(factor));
    let mut out = vec![0u8; w as usize * h as usize * channels];
    for y in 0..h {
        for x in 0..w {
            let rows = y * factor..Ord::min((y + 1) * factor, height);
            let cols = x * factor..Ord::min((x + 1) * factor, width);
            let n = rows.len() as u32 * cols.len() as u32;
            for c in 0..channels {
                let mut sum = 0u32;
                for yy in rows.clone() {
                    for xx in cols.clone() {
                        sum += u32::from(pixels[(yy as usize * width as usize + xx as usize) * channels + c]);
                    }
                }
                out[(y as usize * w as usize + x as usize) * channels + c] = (sum / n) as u8;
            }
        }
    }
    (w, h, out)
}

fn check_side(width: u32, height: u32) -> AppResult<()> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(AppError::invalid(Field::Logo, Problem::TooLarge));
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> AppResult<(u32, u32, png::ColorType, Vec<u8>)> {
    let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png::Limits { bytes: MAX_DECODED });
    // Palettes expanded, 16 bits a channel brought down to 8.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|_| not_an_image())?;
    let (width, height) = (reader.info().width, reader.info().height);
    check_side(width, height)?;
    let mut pixels = vec![0; reader.output_buffer_size().ok_or_else(not_an_image)?];
    let frame = reader.next_frame(&mut pixels).map_err(|_| not_an_image())?;
    pixels.truncate(frame.buffer_size());
    let (color, _) = reader.output_color_type();
    Ok((width, height, color, pixels))
}

fn decode_jpeg(bytes: &[u8]) -> AppResult<(u32, u32, png::ColorType, Vec<u8>)> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options =
        DecoderOptions::default().set_max_width(MAX_SIDE as usize).set_max_height(MAX_SIDE as usize).jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(|_| not_an_image())?;
    let (width, height) = decoder.dimensions().ok_or_else(not_an_image)?;
    check_side(width as u32, height as u32)?;
    let pixels = decoder.decode().map_err(|_| not_an_image())?;
    if pixels.len() != width * height * 3 {
        return Err(not_an_image());
    }
    Ok((width as u32, height as u32, png::ColorType::Rgb, pixels))
}

/// The stored logo, if there is one.
pub async fn get(db: &impl ConnectionTrait) -> AppResult<Option<Vec<u8>>> {
    Ok(company_logo::Entity::find_by_id(company_logo::LOGO_ID).one(db).await?.map(|l| l.png))
}

/// Whether there is a logo (without reading it).
pub async fn exists(db: &impl ConnectionTrait) -> AppResult<bool> {
    Ok(company_logo::Entity::find_by_id(company_logo::LOGO_ID).count(db).await? > 0)
}

/// Keeps `upload` as the logo (a manager's), or takes it away (`None`). Decoding runs on a blocking
/// thread; the new logo replaces the old one in one transaction.
pub async fn set(db: &DatabaseConnection, actor: &CurrentUser, upload: Option<Vec<u8>>) -> AppResult<()> {
    crate::auth::ssr::require_manager(actor)?;
    let png = match upload {
        Some(bytes) => Some(tokio::task::spawn_blocking(move || normalize(&bytes)).await.map_err(|_| AppError::Internal)??),
        None => None,
    };
    crate::db::transaction(db, |txn| {
        Box::pin(async move {
            company_logo::Entity::delete_many().exec(txn).await?;
            if let Some(png) = png {
                company_logo::ActiveModel { id: Set(company_logo::LOGO_ID), png: Set(png), updated_at: Set(chrono::Utc::now()) }.insert(txn).await?;
            }
            Ok(())
        })
    })
    .await
}
