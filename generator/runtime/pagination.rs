//! Following cursors across pages.

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use super::error::{Error, PaginationError};
use super::response::Response;

struct State<P, F> {
    params: Option<P>,
    fetch: F,
    seen: HashSet<String>,
    pending: Option<Error>,
}

/// Pages of a cursor-paginated operation, starting from `params`.
///
/// `next_cursor` says where the next page starts (`None` when this was the last);
/// `set_cursor` writes it into the parameters. Stops after the last page, after the first
/// error, or with [`Error::Pagination`] when the server repeats a cursor.
pub(crate) fn pages<'a, P, T, F, Fut>(
    operation: &'static str,
    params: P,
    fetch: F,
    set_cursor: fn(&mut P, String),
    next_cursor: fn(&T) -> Option<String>,
) -> impl Stream<Item = Result<Response<T>, Error>> + Send + 'a
where
    P: Clone + Send + 'a,
    T: Send + 'a,
    F: FnMut(P) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Response<T>, Error>> + Send + 'a,
{
    let state = State { params: Some(params), fetch, seen: HashSet::new(), pending: None };
    stream::unfold(state, move |mut st| async move {
        if let Some(e) = st.pending.take() {
            return Some((Err(e), st));
        }
        let params = st.params.take()?;
        let page = match (st.fetch)(params.clone()).await {
            Ok(page) => page,
            Err(e) => return Some((Err(e), st)),
        };
        if let Some(cursor) = next_cursor(page.value()).filter(|c| !c.is_empty()) {
            if st.seen.insert(cursor.clone()) {
                let mut next = params;
                set_cursor(&mut next, cursor);
                st.params = Some(next);
            } else {
                st.pending = Some(Error::Pagination(PaginationError { operation, cursor }));
            }
        }
        Some((Ok(page), st))
    })
}

/// The items of every page, in order.
pub(crate) fn items<'a, T, I>(
    pages: impl Stream<Item = Result<Response<T>, Error>> + Send + 'a,
    extract: fn(T) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error>> + Send + 'a
where
    T: Send + 'a,
    I: Send + 'a,
{
    pages.map_ok(move |page| stream::iter(extract(page.into_inner()).into_iter().map(Ok))).try_flatten().boxed()
}
