//! The public API of generated Rust code, as a skeleton: every public item with its signature,
//! fields and trait impls, with bodies, doc comments and other attributes (but `derive` and
//! `non_exhaustive`) removed.
//! Snapshotting it shows in review what a spec or generator change does to the client's API.

use syn::{Attribute, Block, Fields, File, ImplItem, Item, Visibility, punctuated::Punctuated};

/// The public API skeleton of `source`, formatted.
pub fn skeleton(source: &str) -> syn::Result<String> {
    let mut file: File = syn::parse_file(source)?;
    file.attrs.clear();
    file.items = public_items(std::mem::take(&mut file.items));
    Ok(prettyplease::unparse(&file))
}

fn public_items(items: Vec<Item>) -> Vec<Item> {
    items.into_iter().filter_map(public_item).collect()
}

fn public_item(item: Item) -> Option<Item> {
    match item {
        Item::Mod(mut m) if is_pub(&m.vis) => {
            m.attrs.clear();
            m.content = m.content.map(|(brace, items)| (brace, public_items(items)));
            Some(Item::Mod(m))
        }
        Item::Struct(mut s) if is_pub(&s.vis) => {
            s.attrs = derives(&s.attrs);
            match &mut s.fields {
                Fields::Named(named) => {
                    named.named = std::mem::take(&mut named.named)
                        .into_iter()
                        .filter(|f| is_pub(&f.vis))
                        .map(|mut f| {
                            f.attrs.clear();
                            f
                        })
                        .collect::<Punctuated<_, _>>();
                }
                Fields::Unnamed(unnamed) => {
                    for field in &mut unnamed.unnamed {
                        field.attrs.clear();
                    }
                }
                Fields::Unit => {}
            }
            Some(Item::Struct(s))
        }
        Item::Enum(mut e) if is_pub(&e.vis) => {
            e.attrs = derives(&e.attrs);
            for variant in &mut e.variants {
                variant.attrs = derives(&variant.attrs);
                for field in variant.fields.iter_mut() {
                    field.attrs.clear();
                }
            }
            Some(Item::Enum(e))
        }
        Item::Fn(mut f) if is_pub(&f.vis) => {
            f.attrs.clear();
            *f.block = empty_block();
            Some(Item::Fn(f))
        }
        Item::Impl(mut i) => {
            i.attrs.clear();
            if i.trait_.is_some() {
                // A trait impl is public API by its header alone.
                i.items.clear();
            } else {
                i.items
                    .retain(|item| matches!(item, ImplItem::Fn(f) if is_pub(&f.vis)));
                for item in &mut i.items {
                    if let ImplItem::Fn(f) = item {
                        f.attrs.clear();
                        f.block = empty_block();
                    }
                }
                if i.items.is_empty() {
                    return None;
                }
            }
            Some(Item::Impl(i))
        }
        Item::Use(mut u) if is_pub(&u.vis) => {
            u.attrs.clear();
            Some(Item::Use(u))
        }
        Item::Type(mut t) if is_pub(&t.vis) => {
            t.attrs.clear();
            Some(Item::Type(t))
        }
        Item::Const(mut c) if is_pub(&c.vis) => {
            c.attrs.clear();
            Some(Item::Const(c))
        }
        Item::Trait(mut t) if is_pub(&t.vis) => {
            t.attrs.clear();
            for item in &mut t.items {
                if let syn::TraitItem::Fn(f) = item {
                    f.attrs.clear();
                }
            }
            Some(Item::Trait(t))
        }
        // A macro invocation at item level (not a `macro_rules!` definition) may define public
        // items; its call shows which.
        Item::Macro(mut m) if m.ident.is_none() => {
            m.attrs.clear();
            Some(Item::Macro(m))
        }
        _ => None,
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// The attributes that are part of an item's API: its derives and `#[non_exhaustive]`.
fn derives(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive") || a.path().is_ident("non_exhaustive"))
        .cloned()
        .collect()
}

fn empty_block() -> Block {
    Block {
        brace_token: Default::default(),
        stmts: Vec::new(),
    }
}
