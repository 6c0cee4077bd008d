"""Board page. The page itself is aijri_ui/views/board.py (element keys are listed there).

The page is a file (st.Page could take the view's render function instead) because the page
tests switch pages with AppTest.switch_page, which takes a page file. It only calls the view.
"""

from aijri_ui.views import board

board.render()
