//! Following cursors across pages.
//!
//! Two small hand-written streams instead of `futures` combinators. Both are generic over the
//! operation's request future and never box it as a trait object, so nothing of a paginated
//! operation is compiled into the client crate until a program uses its stream: boxing the
//! future as `dyn Future` made the crate compile every paginated operation, and all the
//! decoding it reaches, whether it was used or not.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures::Stream;

use super::error::{Error, PaginationError, PaginationErrorKind};
use super::response::Response;

/// Pages of a cursor-paginated operation, starting from `params`.
///
/// `fetch` sends the request for one page; `set_cursor` writes a cursor into the parameters;
/// `has_more` reads a page's own word on whether another follows (`None` when it has none);
/// `next_cursor` says where the next page starts (`None`, or an empty cursor, when this was
/// the last). Stops after the last page, after the first error, or with
/// [`Error::Pagination`] when the server repeats a cursor or says more pages follow without
/// giving a cursor.
pub(crate) fn pages<P, T, F, Fut>(
    operation: &'static str,
    params: P,
    fetch: F,
    set_cursor: fn(&mut P, String),
    has_more: fn(&T) -> Option<bool>,
    next_cursor: fn(&T) -> Option<String>,
) -> Pages<P, T, F, Fut>
where
    P: Clone,
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    Pages { params, fetch, set_cursor, has_more, next_cursor, in_flight: None, cursors: Cursors::new(operation) }
}

/// The items of every page of `pages` (a stream [`pages`] made), in order.
pub(crate) fn items<S, T, I>(pages: S, extract: fn(T) -> Vec<I>) -> Items<S, T, I>
where
    S: Stream<Item = Result<Response<T>, Error>> + Unpin,
{
    Items { pages, extract, buffer: Vec::new().into_iter() }
}

/// What the stream does next, and the cursors it has followed.
struct Cursors {
    operation: &'static str,
    seen: HashSet<String>,
    next: Next,
}

enum Next {
    /// Fetch the page at this cursor (`None`: the first page, as the caller asked for it).
    Fetch(Option<String>),
    /// Yield this error, then end.
    Fail(Error),
    Done,
}

impl Cursors {
    fn new(operation: &'static str) -> Self {
        Self { operation, seen: HashSet::new(), next: Next::Fetch(None) }
    }

    /// A page arrived that says whether more follow (`more`, if it says) and where the next
    /// starts (`cursor`).
    fn advance(&mut self, more: Option<bool>, cursor: Option<String>) {
        let fail =
            |kind, cursor| Next::Fail(Error::Pagination(PaginationError { operation: self.operation, kind, cursor }));
        self.next = match (more, cursor.filter(|c| !c.is_empty())) {
            (Some(false), _) => Next::Done,
            // Ending here would hand an incomplete listing over as complete.
            (Some(true), None) => fail(PaginationErrorKind::MissingCursor, None),
            (None, None) => Next::Done,
            (_, Some(cursor)) if self.seen.insert(cursor.clone()) => Next::Fetch(Some(cursor)),
            (_, Some(cursor)) => fail(PaginationErrorKind::RepeatedCursor, Some(cursor)),
        };
    }
}

/// The stream of pages [`pages`] returns.
pub(crate) struct Pages<P, T, F, Fut> {
    params: P,
    fetch: F,
    set_cursor: fn(&mut P, String),
    has_more: fn(&T) -> Option<bool>,
    next_cursor: fn(&T) -> Option<String>,
    in_flight: Option<Pin<Box<Fut>>>,
    cursors: Cursors,
}

// Nothing in it is pinned in place: the request future is boxed.
impl<P, T, F, Fut> Unpin for Pages<P, T, F, Fut> {}

impl<P, T, F, Fut> Stream for Pages<P, T, F, Fut>
where
    P: Clone,
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    type Item = Result<Response<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let request = match &mut this.in_flight {
            Some(request) => request,
            None => match std::mem::replace(&mut this.cursors.next, Next::Done) {
                Next::Fetch(cursor) => {
                    let mut params = this.params.clone();
                    if let Some(cursor) = cursor {
                        (this.set_cursor)(&mut params, cursor);
                    }
                    this.in_flight.insert(Box::pin((this.fetch)(params)))
                }
                Next::Fail(error) => return Poll::Ready(Some(Err(error))),
                Next::Done => return Poll::Ready(None),
            },
        };
        let page = ready!(request.as_mut().poll(cx));
        this.in_flight = None;
        // After an error `next` stays `Done`: the stream ends with it.
        if let Ok(page) = &page {
            this.cursors.advance((this.has_more)(page.value()), (this.next_cursor)(page.value()));
        }
        Poll::Ready(Some(page))
    }
}

/// The stream of items [`items`] returns.
pub(crate) struct Items<S, T, I> {
    pages: S,
    extract: fn(T) -> Vec<I>,
    buffer: std::vec::IntoIter<I>,
}

// The buffered items are only moved out, never pinned.
impl<S: Unpin, T, I> Unpin for Items<S, T, I> {}

impl<S, T, I> Stream for Items<S, T, I>
where
    S: Stream<Item = Result<Response<T>, Error>> + Unpin,
{
    type Item = Result<I, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer = (this.extract)(page.into_inner()).into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(more: Option<bool>, cursor: Option<&str>) -> Cursors {
        let mut cursors = Cursors::new("listThings");
        cursors.advance(more, cursor.map(str::to_owned));
        cursors
    }

    #[test]
    fn a_page_decides_what_comes_next() {
        assert!(matches!(after(None, Some("c")).next, Next::Fetch(Some(c)) if c == "c"));
        assert!(matches!(after(Some(true), Some("c")).next, Next::Fetch(Some(c)) if c == "c"));
        assert!(matches!(after(Some(false), Some("c")).next, Next::Done));
        assert!(matches!(after(None, None).next, Next::Done));
        assert!(matches!(after(None, Some("")).next, Next::Done));
    }

    #[test]
    fn more_pages_without_a_cursor_is_an_error() {
        for cursor in [None, Some("")] {
            let Next::Fail(Error::Pagination(e)) = after(Some(true), cursor).next else { panic!("{cursor:?}") };
            assert_eq!(
                (e.kind(), e.operation_id(), e.cursor()),
                (PaginationErrorKind::MissingCursor, "listThings", None)
            );
            assert!(e.to_string().contains("no cursor"), "{e}");
        }
    }

    #[test]
    fn a_repeated_cursor_is_an_error() {
        let mut cursors = after(None, Some("c"));
        cursors.advance(Some(true), Some("c".into()));
        let Next::Fail(Error::Pagination(e)) = cursors.next else { panic!() };
        assert_eq!((e.kind(), e.cursor()), (PaginationErrorKind::RepeatedCursor, Some("c")));
    }
}
